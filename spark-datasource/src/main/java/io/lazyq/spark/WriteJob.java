package io.lazyq.spark;

import io.lazyq.format.Schema;
import io.lazyq.storage.Storage;
import java.io.IOException;
import java.io.Serializable;
import org.apache.spark.sql.types.StructType;

/**
 * One write job, as its tasks and its commit see it: the table directory, the job's id, the
 * incoming rows' schema and the options. Tasks write under {@code _temporary/<job>/} in the
 * table's directory, a hidden name that readers skip, so that the job's commit is a rename within
 * one file system (on an object store tasks write to the table directory: see {@link #partLocation}). {@code newDirectory}: the directory did not exist before the job, so an aborted
 * job removes it.
 */
record WriteJob(String dir, String jobId, StructType sparkSchema, LazyQWriteConf conf, boolean overwrite,
    boolean newDirectory, StorageConf storageConf, PartitionColumns partitions, boolean replacePartitions)
    implements Serializable {
  static final String STAGING = "_temporary";

  Storage storage() {
    return storageConf.storage();
  }

  String staging() {
    return Storage.resolve(Storage.resolve(dir, STAGING), jobId);
  }

  /**
   * Where a task writes its part: the staging directory where a rename publishes atomically; on
   * an object store, where rename is a copy, the table directory itself, as an upload becomes
   * visible only whole and the table's log decides what readers read.
   */
  String partLocation(String name) throws IOException {
    return Storage.resolve(staged() ? staging() : dir, name);
  }

  /** Whether parts go through the staging directory. */
  boolean staged() throws IOException {
    return storage().renamesAtomically(dir);
  }

  /**
   * A name unique to the task attempt: a retried or speculative attempt writes a file of its own,
   * and only the attempt that commits has its file published.
   */
  String partName(int partitionId, long taskId) {
    return String.format("part-%05d-%s-t%d.lzq", partitionId, jobId, taskId);
  }

  /** The name of a task's {@code n}th file, from 0, where it writes one per partition. */
  String partName(int partitionId, long taskId, int n) {
    return n == 0 ? partName(partitionId, taskId) : String.format("part-%05d-%s-t%d-%d.lzq", partitionId, jobId,
        taskId, n);
  }

  /** The files' schema: the rows' columns but the partition columns, which the directories hold. */
  Schema fileSchema() {
    return conf.fileSchema(dataSchema());
  }

  /** The rows' columns that the files store. */
  StructType dataSchema() {
    return dataSchema(sparkSchema, partitions);
  }

  static StructType dataSchema(StructType rows, PartitionColumns partitions) {
    StructType data = new StructType();
    for (org.apache.spark.sql.types.StructField f : rows.fields()) {
      if (!partitions.names().contains(f.name())) {
        data = data.add(f);
      }
    }
    return data;
  }
}
