package io.lazyq.spark;

import io.lazyq.format.ChunkDescriptor;
import io.lazyq.storage.FileVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chunks a scan reads, grouped into input partitions across file boundaries, as Spark packs
 * files: each chunk weighs its selected column bytes plus {@code openCost}, and a partition holds
 * about {@code min(maxPartitionBytes, max(openCost, total weight / minPartitions))}, so that a scan
 * smaller than {@code maxPartitionBytes} times the cores still keeps every core busy. A sequential
 * scan reads each file from its start, so there a partition is one whole file.
 */
final class ScanPlan {
  private final List<ChunkGroup> groups = new ArrayList<>();
  private final List<DataFile> files;
  private int filesRead;
  private int filesPruned;
  private long rows;
  private long bytes;
  private long chunksSkipped;

  private ScanPlan(List<DataFile> files) {
    this.files = files;
  }

  /** A chunk the scan reads: its file, and its weight in the packing. */
  private record Selected(int file, ChunkDescriptor chunk, long weight) {}

  static ScanPlan plan(List<DataFile> files, int[] columns, StatsFilter filter, long limit, boolean stream,
      long maxPartitionBytes, long openCost, int minPartitions) {
    return plan(files, null, columns, filter, limit, stream, maxPartitionBytes, openCost, minPartitions);
  }

  /**
   * @param partitionValues each file's partition values, for a partitioned table; else null. The
   *     groups carry them for the files they read.
   */
  static ScanPlan plan(List<DataFile> files, List<Map<String, String>> partitionValues, int[] columns,
      StatsFilter filter, long limit, boolean stream, long maxPartitionBytes, long openCost, int minPartitions) {
    ScanPlan plan = new ScanPlan(files);
    long wanted = limit < 0 ? Long.MAX_VALUE : limit;
    List<Selected> selected = new ArrayList<>();
    long total = 0;
    for (int f = 0; f < files.size(); f++) {
      for (ChunkDescriptor chunk : files.get(f).metadata().index().chunks()) {
        if (plan.rows >= wanted) {
          break;
        }
        if (chunk.rows() == 0 || !filter.mightMatch(chunk)) {
          plan.chunksSkipped++;
          continue;
        }
        long size = 0;
        for (int c : columns) {
          size += chunk.column(c).length();
        }
        selected.add(new Selected(f, chunk, size + openCost));
        total += size + openCost;
        plan.rows += chunk.rows();
        plan.bytes += size;
      }
    }
    long target = Math.max(1, Math.min(maxPartitionBytes, Math.max(openCost, total / Math.max(1, minPartitions))));
    String[] locations = files.stream().map(DataFile::location).toArray(String[]::new);
    Map<String, String>[] values = partitionValues == null ? null : partitionValues.toArray(new Map[0]);
    plan.filesRead = (int) selected.stream().mapToInt(Selected::file).distinct().count();
    FileVersion[] versions = files.stream().map(DataFile::version).toArray(FileVersion[]::new);
    Builder group = new Builder(locations, versions, values);
    for (Selected s : selected) {
      boolean full = stream ? group.lastFile() != s.file() : group.weight + s.weight() > target;
      if (!group.isEmpty() && full) {
        plan.groups.add(group.build());
        group = new Builder(locations, versions, values);
      }
      group.add(s.file(), s.chunk(), s.weight());
    }
    if (!group.isEmpty()) {
      plan.groups.add(group.build());
    }
    return plan;
  }

  List<ChunkGroup> groups() {
    return groups;
  }

  /** The files planned from: their footers were read. */
  List<DataFile> files() {
    return files;
  }

  /** Files that some group reads a chunk of. */
  int filesRead() {
    return filesRead;
  }

  /** Files of a partitioned table that pruning dropped before this plan. */
  int filesPruned() {
    return filesPruned;
  }

  void pruned(int files) {
    filesPruned = files;
  }

  long rows() {
    return rows;
  }

  /** Bytes of the selected columns in the chunks read. */
  long bytes() {
    return bytes;
  }

  long chunksSkipped() {
    return chunksSkipped;
  }

  private static final class Builder {
    private final String[] files;
    private final FileVersion[] versions;
    private final Map<String, String>[] values;
    private final List<int[]> chunks = new ArrayList<>();
    private long weight;

    Builder(String[] files, FileVersion[] versions, Map<String, String>[] values) {
      this.files = files;
      this.versions = versions;
      this.values = values;
    }

    boolean isEmpty() {
      return chunks.isEmpty();
    }

    int lastFile() {
      return chunks.isEmpty() ? -1 : chunks.get(chunks.size() - 1)[0];
    }

    void add(int file, ChunkDescriptor chunk, long cost) {
      chunks.add(new int[] {file, chunk.ordinal(), chunk.rows()});
      weight += cost;
    }

    /** The group, naming only the files that its chunks lie in. */
    ChunkGroup build() {
      int n = chunks.size();
      int[] fileOf = new int[n];
      int[] ordinals = new int[n];
      int[] rows = new int[n];
      List<String> used = new ArrayList<>();
      List<Map<String, String>> usedValues = new ArrayList<>();
      List<FileVersion> usedVersions = new ArrayList<>();
      int last = -1;
      for (int i = 0; i < n; i++) {
        int[] c = chunks.get(i);
        if (c[0] != last) {
          used.add(files[c[0]]);
          usedVersions.add(versions[c[0]]);
          if (values != null) {
            usedValues.add(values[c[0]]);
          }
          last = c[0];
        }
        fileOf[i] = used.size() - 1;
        ordinals[i] = c[1];
        rows[i] = c[2];
      }
      return new ChunkGroup(used.toArray(new String[0]), fileOf, ordinals, rows,
          usedVersions.toArray(new FileVersion[0]),
          values == null ? null : usedValues.stream().map(HashMap::new).toList());
    }
  }
}
