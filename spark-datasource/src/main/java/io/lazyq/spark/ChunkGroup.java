package io.lazyq.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * One input partition: chunks of one or more files, read in order.
 *
 * @param files the files' paths
 * @param fileOf for each chunk, its file's index in {@code files}
 * @param chunks for each chunk, its ordinal in its file
 * @param rows for each chunk, its row count
 * @param partitionValues for a partitioned table, each file's partition values as strings; else null
 */
record ChunkGroup(String[] files, int[] fileOf, int[] chunks, int[] rows,
    List<java.util.HashMap<String, String>> partitionValues) implements InputPartition {

  /** A group of an unpartitioned table's chunks. */
  ChunkGroup(String[] files, int[] fileOf, int[] chunks, int[] rows) {
    this(files, fileOf, chunks, rows, null);
  }

  int size() {
    return chunks.length;
  }

  long rowCount() {
    return Arrays.stream(rows).asLongStream().sum();
  }
}
