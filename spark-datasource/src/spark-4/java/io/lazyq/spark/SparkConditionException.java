package io.lazyq.spark;

import org.apache.spark.SparkThrowable;

/**
 * An exception carrying an error condition that Spark recognises. Spark 4 reads the condition
 * through {@link SparkThrowable#getCondition()}; Spark 3.5 knows only {@code getErrorClass()},
 * which its twin in the spark-3.5 source root implements.
 */
public abstract class SparkConditionException extends RuntimeException implements SparkThrowable {
  private static final long serialVersionUID = 1L;

  protected SparkConditionException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The error condition, such as {@code LAZYQ_MALFORMED_FILE}. */
  @Override
  public abstract String getCondition();
}
