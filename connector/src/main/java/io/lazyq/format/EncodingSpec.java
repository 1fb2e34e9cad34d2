package io.lazyq.format;

import io.lazyq.quant.QuantType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-column encodings as users write them, on the command line and in Spark options:
 * {@code quantize = "col=TYPE,..."} and {@code errorBound = "col=1e-3,..."}. A bare {@code TYPE}
 * or bound, without {@code col=}, applies to every float column.
 */
public final class EncodingSpec {
  private static final String ALL = "*";
  private final Map<String, ColumnEncoding> byColumn;
  /** The stage for every column, or {@code null} for the measured default ({@link #defaultLossless}). */
  private final ColumnEncoding.Lossless lossless;

  private EncodingSpec(Map<String, ColumnEncoding> byColumn, ColumnEncoding.Lossless lossless) {
    this.byColumn = byColumn;
    this.lossless = lossless;
  }

  /** No quantization, and the default lossless stage. */
  public static final EncodingSpec NONE = new EncodingSpec(Map.of(), null);

  /** The stages a user may ask for, by the names {@link #withLossless} takes. */
  private static final List<ColumnEncoding.Lossless> CHOICES = List.of(ColumnEncoding.Lossless.NONE,
      ColumnEncoding.Lossless.ZSTD, ColumnEncoding.Lossless.BLOCKS, ColumnEncoding.Lossless.LIGHTWEIGHT,
      ColumnEncoding.Lossless.SMALLEST);

  /** The names of the lossless stages a column may ask for, as the {@code lossless} option takes them. */
  public static String losslessChoices() {
    return String.join("|", CHOICES.stream().map(l -> l.name().toLowerCase(Locale.ROOT)).toList());
  }

  /**
   * The same spec with a lossless stage for every column ({@code none}, {@code zstd},
   * {@code blocks} or {@code lightweight}); a writer keeps it per chunk only where it pays, and
   * block encodings only on fixed-width and utf8 columns (others take zstd, or, under
   * {@code lightweight}, no stage). Without one, {@link #defaultLossless} decides.
   */
  public EncodingSpec withLossless(String stage) {
    if (stage == null || stage.isBlank()) {
      return this;
    }
    for (ColumnEncoding.Lossless l : CHOICES) {
      if (l.name().equalsIgnoreCase(stage.trim())) {
        return new EncodingSpec(byColumn, l);
      }
    }
    throw new IllegalArgumentException("unknown lossless stage '" + stage + "'; valid: "
        + losslessChoices().replace("|", ", "));
  }

  /**
   * Parses both options; either may be {@code null} or empty.
   *
   * @throws IllegalArgumentException naming the entry that is wrong and the valid choices
   */
  public static EncodingSpec parse(String quantize, String errorBound) {
    Map<String, ColumnEncoding> map = new LinkedHashMap<>();
    for (String[] entry : entries(quantize)) {
      QuantType type = QuantType.byLabel(entry[1])
          .filter(t -> t != QuantType.ERROR_BOUNDED)
          .orElseThrow(() -> new IllegalArgumentException("unknown quantized type '" + entry[1] + "' for column '"
              + entry[0] + "'; valid: " + encoderLabels() + " (or use errorBound)"));
      if (!type.codec().canEncode()) {
        throw new IllegalArgumentException(type.label() + " can be read but not written; valid: " + encoderLabels());
      }
      map.put(entry[0], ColumnEncoding.quantized(type));
    }
    for (String[] entry : entries(errorBound)) {
      double bound;
      try {
        bound = Double.parseDouble(entry[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("error bound '" + entry[1] + "' for column '" + entry[0] + "' is not a number");
      }
      if (map.containsKey(entry[0])) {
        throw new IllegalArgumentException("column '" + entry[0] + "' has both a quantized type and an error bound");
      }
      map.put(entry[0], ColumnEncoding.errorBounded(bound));
    }
    return new EncodingSpec(map, null);
  }

  /** The labels of the types a writer can produce. */
  public static String encoderLabels() {
    List<String> labels = new ArrayList<>();
    for (QuantType t : QuantType.values()) {
      if (t != QuantType.ERROR_BOUNDED && t != QuantType.F32 && t.codec().canEncode()) {
        labels.add(t.label());
      }
    }
    return String.join(", ", labels);
  }

  public boolean isEmpty() {
    return byColumn.isEmpty() && lossless == null;
  }

  /** Whether the spec names this column (or applies to all float columns). */
  public boolean names(String column) {
    return byColumn.containsKey(column) || byColumn.containsKey(ALL);
  }

  /**
   * Applies the spec to a schema. Every named column must exist and hold float32 values.
   *
   * @throws IllegalArgumentException for an unknown or non-float column
   */
  public Schema applyTo(Schema schema) {
    for (String name : byColumn.keySet()) {
      if (!name.equals(ALL)) {
        Field f = schema.find(name).orElseThrow(() -> new IllegalArgumentException("no column '" + name
            + "' to encode; columns: " + schema.fields().stream().map(Field::name).toList()));
        if (!f.type().holdsFloat32()) {
          throw new IllegalArgumentException("column '" + name + "' is " + f.type()
              + "; only float32 and list<float32> columns can be quantized");
        }
      }
    }
    List<Field> fields = new ArrayList<>();
    for (Field f : schema.fields()) {
      ColumnEncoding e = byColumn.getOrDefault(f.name(), f.type().holdsFloat32() ? byColumn.get(ALL) : null);
      Field encoded = e == null ? f : f.withEncoding(e);
      ColumnEncoding.Lossless stage = lossless != null ? lossless : defaultLossless(encoded);
      if (stage.blocks() && !LosslessStage.blocksApply(encoded)) {
        stage = stage == ColumnEncoding.Lossless.LIGHTWEIGHT ? ColumnEncoding.Lossless.NONE : ColumnEncoding.Lossless.ZSTD;
      }
      fields.add(encoded.withEncoding(encoded.encoding().withLossless(stage)));
    }
    return new Schema(fields, schema.metadata());
  }

  /**
   * Where a stage was measured to pay (docs/BENCHMARKS.md, "Lossless stage" and "Real sensor
   * data"): block encodings for plain numbers and timestamps (on real sensor floats 2-8x smaller
   * than plain float32, and read per range) and for error-bounded float32 columns, under their
   * bound; zstd for strings and error-bounded lists; nothing for
   * ggml's and the affine types' codes, which gain little and keep their zero-copy reads.
   */
  static ColumnEncoding.Lossless defaultLossless(Field f) {
    if (LosslessStage.blocksApply(f)) {
      return ColumnEncoding.Lossless.BLOCKS;
    }
    ColumnType t = f.type();
    boolean pays = !t.isList() && t.kind() == ColumnType.Kind.UTF8
        || f.encoding().quant() == io.lazyq.quant.QuantType.ERROR_BOUNDED;
    return pays ? ColumnEncoding.Lossless.ZSTD : ColumnEncoding.Lossless.NONE;
  }

  private static List<String[]> entries(String spec) {
    List<String[]> out = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      return out;
    }
    for (String part : spec.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      out.add(eq < 0 ? new String[] {ALL, p.toLowerCase(Locale.ROOT)}
          : new String[] {p.substring(0, eq).trim(), p.substring(eq + 1).trim()});
    }
    return out;
  }
}
