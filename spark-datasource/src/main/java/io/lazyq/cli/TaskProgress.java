package io.lazyq.cli;

import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * A progress bar of Spark's tasks on stderr, shown only when stderr is a terminal: the total grows
 * as stages are submitted, and each finished task is a step.
 */
final class TaskProgress extends SparkListener implements AutoCloseable {
  private final SparkSession spark;
  private final ProgressBar bar;
  private final AtomicLong total = new AtomicLong();

  private TaskProgress(SparkSession spark, ProgressBar bar) {
    this.spark = spark;
    this.bar = bar;
  }

  static TaskProgress attach(SparkSession spark, String task) {
    if (System.console() == null || System.getenv("LAZYQ_NO_PROGRESS") != null) {
      return new TaskProgress(spark, null);
    }
    ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(0).setStyle(ProgressBarStyle.ASCII)
        .setUnit(" tasks", 1).setUpdateIntervalMillis(250).continuousUpdate().build();
    TaskProgress p = new TaskProgress(spark, bar);
    spark.sparkContext().addSparkListener(p);
    return p;
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted stage) {
    bar.maxHint(total.addAndGet(stage.stageInfo().numTasks()));
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd task) {
    bar.step();
  }

  @Override
  public void close() {
    if (bar != null) {
      spark.sparkContext().removeSparkListener(this);
      bar.close();
    }
  }
}
