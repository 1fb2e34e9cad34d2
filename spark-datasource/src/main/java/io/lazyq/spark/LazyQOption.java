package io.lazyq.spark;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.network.util.JavaUtils;

/**
 * One option of the {@code lazyq} source: its name, where it applies, its default, how its value
 * parses and one line of documentation. Immutable; {@link LazyQOptions} holds them all.
 *
 * @param <T> the type of the option's value
 */
public final class LazyQOption<T> {
  /** Where an option applies. */
  public enum Scope {
    /** Batch reads. */
    READ,
    /** Streaming reads. */
    STREAM,
    /** Writes. */
    WRITE
  }

  /** Turns a value, as given, into the option's value; throws {@link IllegalArgumentException} if invalid. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(String value);
  }

  private final String name;
  private final Set<Scope> scopes;
  private final Class<T> type;
  private final T defaultValue;
  private final String defaultText;
  private final String valid;
  private final Parser<T> parser;
  private final String doc;
  private final boolean shapesSchema;

  private LazyQOption(String name, Set<Scope> scopes, Class<T> type, T defaultValue, String defaultText,
      String valid, Parser<T> parser, String doc, boolean shapesSchema) {
    this.name = name;
    this.scopes = scopes;
    this.type = type;
    this.defaultValue = defaultValue;
    this.defaultText = defaultText;
    this.valid = valid;
    this.parser = parser;
    this.doc = doc;
    this.shapesSchema = shapesSchema;
  }

  private static <T> LazyQOption<T> of(String name, Class<T> type, T defaultValue, String valid, Parser<T> parser,
      String doc, Scope scope, Scope... scopes) {
    return new LazyQOption<>(name, Set.copyOf(EnumSet.of(scope, scopes)), type, defaultValue,
        String.valueOf(defaultValue), valid, parser, doc, false);
  }

  /** {@code true} or {@code false}, in any case. */
  static LazyQOption<Boolean> bool(String name, boolean defaultValue, String doc, Scope scope, Scope... scopes) {
    return of(name, Boolean.class, defaultValue, "true|false", v -> switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException();
    }, doc, scope, scopes);
  }

  /** An integer in {@code [min, max]}. */
  static LazyQOption<Integer> integer(String name, int defaultValue, int min, int max, String doc, Scope scope,
      Scope... scopes) {
    String valid = min == 1 && max == Integer.MAX_VALUE ? "a positive integer"
        : "an integer from " + min + " to " + max;
    return of(name, Integer.class, defaultValue, valid, v -> {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw new IllegalArgumentException();
      }
      return n;
    }, doc, scope, scopes);
  }

  /** A positive multiple of {@code step}. */
  static LazyQOption<Integer> positiveMultiple(String name, int defaultValue, int step, String doc, Scope scope,
      Scope... scopes) {
    return of(name, Integer.class, defaultValue, "a positive multiple of " + step, v -> {
      int n = Integer.parseInt(v.trim());
      if (n <= 0 || n % step != 0) {
        throw new IllegalArgumentException();
      }
      return n;
    }, doc, scope, scopes);
  }

  /** A positive count of bytes, plain or with a unit as Spark's configuration takes them ({@code 64m}). */
  static LazyQOption<Long> size(String name, long defaultValue, String doc, Scope scope, Scope... scopes) {
    return of(name, Long.class, defaultValue, "a positive size such as 64m", v -> {
      long n = JavaUtils.byteStringAsBytes(v.trim());
      if (n <= 0) {
        throw new IllegalArgumentException();
      }
      return n;
    }, doc, scope, scopes);
  }

  /** A table version, from 0; by default -1, the latest. */
  static LazyQOption<Long> version(String name, String doc, Scope scope, Scope... scopes) {
    return of(name, Long.class, -1L, "a version number from 0", v -> {
      long n = Long.parseLong(v.trim());
      if (n < 0) {
        throw new IllegalArgumentException();
      }
      return n;
    }, doc, scope, scopes).defaultShownAs("latest");
  }

  /** Accepted beside ISO-8601 instants, in UTC: {@code 2026-01-31} or {@code 2026-01-31 12:00:00}. */
  private static final DateTimeFormatter UTC_TIME = new DateTimeFormatterBuilder()
      .appendPattern("uuuu-MM-dd[ HH:mm:ss[.SSS]]")
      .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
      .toFormatter(Locale.ROOT)
      .withResolverStyle(ResolverStyle.STRICT) // 2026-02-30 is a mistake, not the 28th
      .withZone(ZoneOffset.UTC);

  /**
   * An instant as milliseconds since the epoch: ISO-8601 ({@code 2026-01-31T12:00:00Z}) or
   * {@code yyyy-MM-dd[ HH:mm:ss]} in UTC; by default {@link Long#MIN_VALUE}, none.
   */
  static LazyQOption<Long> instant(String name, String doc, Scope scope, Scope... scopes) {
    return of(name, Long.class, Long.MIN_VALUE, "an ISO-8601 instant or yyyy-MM-dd[ HH:mm:ss] in UTC", v -> {
      try {
        return Instant.parse(v.trim()).toEpochMilli();
      } catch (DateTimeParseException notIso) {
        try {
          return Instant.from(UTC_TIME.parse(v.trim())).toEpochMilli();
        } catch (DateTimeException e) {
          throw new IllegalArgumentException(e);
        }
      }
    }, doc, scope, scopes).defaultShownAs("latest");
  }

  /** One of an enum's constants, by name in any case; shown and documented in lowercase. */
  static <E extends Enum<E>> LazyQOption<E> choice(String name, E defaultValue, String doc, Scope scope,
      Scope... scopes) {
    Class<E> type = defaultValue.getDeclaringClass();
    String valid = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining("|"));
    return of(name, type, defaultValue, valid, v -> Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT)),
        doc, scope, scopes).defaultShownAs(defaultValue.name().toLowerCase(Locale.ROOT));
  }

  /** One of {@code values}, in any case, as lowercase; empty (unset) by default. */
  static LazyQOption<String> oneOf(String name, List<String> values, String doc, Scope scope, Scope... scopes) {
    return of(name, String.class, "", String.join("|", values), v -> {
      String lower = v.trim().toLowerCase(Locale.ROOT);
      if (!values.contains(lower)) {
        throw new IllegalArgumentException();
      }
      return lower;
    }, doc, scope, scopes).defaultShownAs("none");
  }

  /**
   * Text that its user checks as a whole; empty by default. {@code valid} describes its form for
   * messages.
   */
  static LazyQOption<String> text(String name, String valid, String doc, Scope scope, Scope... scopes) {
    return of(name, String.class, "", valid, v -> v, doc, scope, scopes).defaultShownAs("none");
  }

  /** This option with its default described in words, for a default that is not a plain value. */
  LazyQOption<T> defaultShownAs(String text) {
    return new LazyQOption<>(name, scopes, type, defaultValue, text, valid, parser, doc, shapesSchema);
  }

  /** This option marked as one that decides the table's schema. */
  LazyQOption<T> shapingSchema() {
    return new LazyQOption<>(name, scopes, type, defaultValue, defaultText, valid, parser, doc, true);
  }

  /** The option's name, as users write it; keys match it in any case. */
  public String name() {
    return name;
  }

  /** The key under which a Spark session sets this option for every read or write that does not. */
  public String sessionKey() {
    return LazyQOptions.SESSION_PREFIX + name;
  }

  public Set<Scope> scopes() {
    return scopes;
  }

  public boolean appliesTo(Scope scope) {
    return scopes.contains(scope);
  }

  /** Whether this is a read option, for batch reads or streams. */
  public boolean isRead() {
    return appliesTo(Scope.READ) || appliesTo(Scope.STREAM);
  }

  public T defaultValue() {
    return defaultValue;
  }

  /** The default as documentation shows it ({@code no limit} rather than 0, say). */
  public String defaultText() {
    return defaultText;
  }

  /** What values the option takes, in words. */
  public String valid() {
    return valid;
  }

  /** One line of documentation. */
  public String doc() {
    return doc;
  }

  /**
   * Whether the option decides the schema of a table: a scan keeps the value that the table was
   * resolved with, since Spark planned the query against that schema.
   */
  public boolean shapesSchema() {
    return shapesSchema;
  }

  /**
   * Parses a value of this option.
   *
   * @throws IllegalArgumentException naming the option and its valid values
   */
  public T parse(String value) {
    return parse(value, "lazyq option " + name);
  }

  /** Parses a value that {@code source} gave, which a failure names. */
  T parse(String value, String source) {
    try {
      return parser.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid value '" + value + "' for " + source + "; valid: " + valid, e);
    }
  }

  /** The option's value among values that came from {@link #parse}. */
  T cast(Object value) {
    return type.cast(value);
  }

  /** The option as a list of valid options shows it: {@code batchRows (a positive multiple of 8, default 4096)}. */
  String describe() {
    return name + " (" + valid + ", default " + defaultText + ")";
  }

  @Override
  public String toString() {
    return name;
  }
}
