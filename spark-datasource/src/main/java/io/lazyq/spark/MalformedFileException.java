package io.lazyq.spark;

import io.lazyq.LazyQFormatException;
import java.util.Map;

/**
 * A malformed file met by a task: the reader's {@link LazyQFormatException}, with an error
 * condition Spark recognises.
 *
 * <p>Spark fails a job with the very exception that failed its task when that exception carries a
 * condition (a {@link SparkThrowable} that is not an internal error); any other it wraps in "Job
 * aborted due to stage failure: Task 1 in stage 0.0 failed 1 times, most recent failure: Lost task
 * ...", which PySpark shows with the driver's and the executor's stacks. With this exception the
 * query's error begins with what matters:
 *
 * <pre>
 *   [LAZYQ_MALFORMED_FILE] /data/sensors.lzq: at offset 145216: checksum mismatch in chunk 2, column 'sensor'
 * </pre>
 *
 * <p>It is unchecked, as Spark's own {@code SparkRuntimeException}, so that Java callers of
 * {@code collect()} can catch it by type. The condition is LazyQ's, outside Spark's registry, so
 * the SQLSTATE is given here: Spark's for a file that cannot be read.
 */
public final class MalformedFileException extends SparkConditionException {
  private static final long serialVersionUID = 1L;

  public static final String CONDITION = "LAZYQ_MALFORMED_FILE";
  /** The SQLSTATE of Spark's {@code FAILED_READ_FILE}. */
  public static final String SQL_STATE = "KD001";

  private final String path;
  private final long offset;
  private final String problem;

  MalformedFileException(LazyQFormatException cause) {
    super("[" + CONDITION + "] " + cause.getMessage(), cause);
    this.path = cause.source();
    this.offset = cause.offset();
    this.problem = cause.problem();
  }

  @Override
  public String getCondition() {
    return CONDITION;
  }

  @Override
  public String getSqlState() {
    return SQL_STATE;
  }

  /** {@code path}, {@code offset} (-1 where the problem has none) and {@code problem}, for tools that read conditions. */
  @Override
  public Map<String, String> getMessageParameters() {
    return Map.of("path", String.valueOf(path), "offset", Long.toString(offset), "problem", problem);
  }
}
