package io.lazyq.table;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hive-style partition directories, as Spark names them: {@code col=value/} per partition column,
 * the value escaped as Spark's {@code ExternalCatalogUtils.escapePathName} does (each character of
 * a fixed set, and every control character, as {@code %XX}), and a null value written as
 * {@link #NULL_VALUE}, so that tables written by Spark, Hive or Delta and by lazyq name partitions
 * alike.
 */
public final class PartitionPaths {
  /** The directory value of a null partition value. */
  public static final String NULL_VALUE = "__HIVE_DEFAULT_PARTITION__";

  /** Spark's set of characters to escape (ExternalCatalogUtils.charToEscape), plus 0x01 to 0x1F. */
  private static final BitSet ESCAPED = new BitSet(128);

  static {
    for (char c = 1; c < ' '; c++) {
      ESCAPED.set(c);
    }
    for (char c : "\"#%'*/:=?\\\u007F{[]^".toCharArray()) {
      ESCAPED.set(c);
    }
  }

  private PartitionPaths() {}

  /** A name or value as a path component: the escaped characters as {@code %XX}, upper-case hex. */
  public static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 128 && ESCAPED.get(c)) {
        b.append('%').append(String.format("%02X", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * A path component back as the name or value it escapes; a {@code %} not followed by two hex
   * digits stays as it is, as Spark reads it.
   */
  public static String unescape(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int hi = i + 2 < s.length() && c == '%' ? Character.digit(s.charAt(i + 1), 16) : -1;
      int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
      if (lo >= 0) {
        b.append((char) (hi * 16 + lo));
        i += 2;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * The directory of a file with these partition values, in the order of {@code columns}, ending
   * in '/'; empty for an unpartitioned table. A null value is {@link #NULL_VALUE}, as is an empty
   * string, which a directory name cannot hold either (Spark reads both back as null).
   */
  public static String directory(List<String> columns, Map<String, String> values) {
    StringBuilder b = new StringBuilder();
    for (String column : columns) {
      String v = values.get(column);
      b.append(escape(column)).append('=').append(v == null || v.isEmpty() ? NULL_VALUE : escape(v)).append('/');
    }
    return b.toString();
  }

  /**
   * The partition values that a file's path relative to the table directory encodes, by column
   * in directory order, nulls for {@link #NULL_VALUE}; empty for a file directly in the table's
   * directory.
   *
   * @throws IllegalArgumentException for a directory that is not {@code name=value}
   */
  public static Map<String, String> values(String relativePath) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> dirs = new ArrayList<>(List.of(relativePath.split("/")));
    dirs.remove(dirs.size() - 1);
    for (String d : dirs) {
      int eq = d.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("'" + d + "' in " + relativePath + " is not a partition directory name=value");
      }
      String v = d.substring(eq + 1);
      values.put(unescape(d.substring(0, eq)), v.equals(NULL_VALUE) ? null : unescape(v));
    }
    return values;
  }

  /**
   * Whether a path that a log entry names stays inside the table and out of its hidden files:
   * relative, each component a non-empty name that starts with neither '.' nor '_', and every
   * directory a partition directory {@code name=value}.
   */
  public static boolean isTablePath(String path) {
    if (path.isEmpty() || path.contains("\\")) {
      return false;
    }
    String[] parts = path.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.startsWith(".") || p.startsWith("_") || (i < parts.length - 1 && p.indexOf('=') <= 0)) {
        return false;
      }
    }
    return true;
  }
}
