package io.lazyq.format;

/**
 * Statistics of one column chunk, from which a reader may skip chunks that cannot match a filter.
 *
 * <p>For float columns, {@code min} and {@code max} ignore NaN; a chunk holding NaN records a NaN
 * {@code max}, meaning "unbounded above", since Spark orders NaN above every number. For quantized
 * columns they describe the decoded values, which are what a query sees.
 *
 * <p>Serializable, since a Spark task's commit message carries its file's statistics to the driver.
 *
 * @param nullCount rows that are null
 * @param min the smallest non-null value ({@link Long} or {@link Double} by column kind), or {@code null}
 * @param max the largest non-null value, or {@code null}
 */
public record ColumnStats(long nullCount, Number min, Number max) implements java.io.Serializable {

  public static ColumnStats nullsOnly(long nullCount) {
    return new ColumnStats(nullCount, null, null);
  }

  public boolean hasMinMax() {
    return min != null && max != null;
  }
}
