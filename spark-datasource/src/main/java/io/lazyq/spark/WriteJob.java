package io.lazyq.spark;

import io.lazyq.format.Schema;
import java.io.Serializable;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.sql.types.StructType;

/**
 * One write job, as its tasks and its commit see it: the table directory, the job's id, the
 * incoming rows' schema and the options. Tasks write under {@code _temporary/<job>/} in the
 * table's directory, a hidden name that readers skip, so that the job's commit is a rename within
 * one file system. {@code newDirectory}: the directory did not exist before the job, so an aborted
 * job removes it.
 */
record WriteJob(String dir, String jobId, StructType sparkSchema, LazyQWriteConf conf, boolean overwrite,
    boolean newDirectory) implements Serializable {
  static final String STAGING = "_temporary";

  Path directory() {
    return Paths.get(dir);
  }

  Path staging() {
    return directory().resolve(STAGING).resolve(jobId);
  }

  /**
   * A name unique to the task attempt: a retried or speculative attempt writes a file of its own,
   * and only the attempt that commits has its file published.
   */
  String partName(int partitionId, long taskId) {
    return String.format("part-%05d-%s-t%d.lzq", partitionId, jobId, taskId);
  }

  Schema fileSchema() {
    return conf.fileSchema(sparkSchema);
  }
}
