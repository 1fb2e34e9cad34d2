package io.lazyq.spark;

import org.apache.spark.SparkThrowable;

/**
 * An exception carrying an error condition that Spark recognises. Spark 3.5 reads the condition
 * through {@code getErrorClass()}, which Spark 4 renamed {@code getCondition()} (its twin in the
 * spark-4 source root): both names are here, so that callers use the new one on every version.
 */
public abstract class SparkConditionException extends RuntimeException implements SparkThrowable {
  private static final long serialVersionUID = 1L;

  protected SparkConditionException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The error condition, such as {@code LAZYQ_MALFORMED_FILE}. */
  public abstract String getCondition();

  @Override
  public String getErrorClass() {
    return getCondition();
  }
}
