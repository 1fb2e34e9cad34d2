package io.lazyq.spark;

import io.lazyq.storage.FileVersion;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * One input partition: chunks of one or more files, read in order.
 *
 * @param files the files' paths
 * @param fileOf for each chunk, its file's index in {@code files}
 * @param chunks for each chunk, its ordinal in its file
 * @param rows for each chunk, its row count
 * @param versions for each file, the version the scan planned with where a listing told it
 *     (remote files), else null: tasks open the file by it, without a request for its metadata
 * @param partitionValues for a partitioned table, each file's partition values as strings; else null
 */
record ChunkGroup(String[] files, int[] fileOf, int[] chunks, int[] rows, FileVersion[] versions,
    List<HashMap<String, String>> partitionValues) implements InputPartition {

  /** A group of an unpartitioned table's chunks, of files whose versions are not known. */
  ChunkGroup(String[] files, int[] fileOf, int[] chunks, int[] rows) {
    this(files, fileOf, chunks, rows, new FileVersion[files.length], null);
  }

  int size() {
    return chunks.length;
  }

  long rowCount() {
    return Arrays.stream(rows).asLongStream().sum();
  }
}
