package io.lazyq.spark;

import io.lazyq.format.ChunkDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunks a scan reads, grouped into input partitions of about {@code maxPartitionBytes} of
 * selected column bytes (each chunk also costs {@code openCost}, as Spark packs files), across file
 * boundaries. A sequential scan reads each file from its start, so there a partition is one file.
 */
final class ScanPlan {
  private final List<ChunkGroup> groups = new ArrayList<>();
  private long rows;
  private long bytes;
  private long chunksSkipped;

  private ScanPlan() {}

  static ScanPlan plan(List<DataFile> files, int[] columns, StatsFilter filter, long limit, boolean stream,
      long maxPartitionBytes, long openCost) {
    ScanPlan plan = new ScanPlan();
    String[] locations = files.stream().map(DataFile::location).toArray(String[]::new);
    Builder group = new Builder(locations);
    long target = Math.max(1, maxPartitionBytes);
    long wanted = limit < 0 ? Long.MAX_VALUE : limit;
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
        if (!group.isEmpty() && group.weight + size + openCost > target) {
          plan.groups.add(group.build());
          group = new Builder(locations);
        }
        group.add(f, chunk, size + openCost);
        plan.rows += chunk.rows();
        plan.bytes += size;
      }
      if (stream && !group.isEmpty()) {
        plan.groups.add(group.build());
        group = new Builder(locations);
      }
    }
    if (!group.isEmpty()) {
      plan.groups.add(group.build());
    }
    return plan;
  }

  List<ChunkGroup> groups() {
    return groups;
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
    private final List<int[]> chunks = new ArrayList<>();
    private long weight;

    Builder(String[] files) {
      this.files = files;
    }

    boolean isEmpty() {
      return chunks.isEmpty();
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
      int last = -1;
      for (int i = 0; i < n; i++) {
        int[] c = chunks.get(i);
        if (c[0] != last) {
          used.add(files[c[0]]);
          last = c[0];
        }
        fileOf[i] = used.size() - 1;
        ordinals[i] = c[1];
        rows[i] = c[2];
      }
      return new ChunkGroup(used.toArray(new String[0]), fileOf, ordinals, rows);
    }
  }
}
