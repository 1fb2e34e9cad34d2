package io.lazyq.table;

import io.lazyq.LazyQFormatException;
import io.lazyq.format.ColumnEncoding;
import io.lazyq.format.ColumnType;
import io.lazyq.format.Field;
import io.lazyq.format.Schema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One action of a log entry. A version's entry is the list of its actions; replaying the entries
 * from version 0 gives each version's protocol, metadata and files.
 */
public sealed interface LogAction {
  /**
   * What a reader and a writer must understand to use the table. Versions rise when the log gains
   * something an older reader would misread (partition directories, checkpoints).
   */
  record Protocol(int minReaderVersion, int minWriterVersion) implements LogAction {
    /** What this code reads and writes. */
    public static final Protocol CURRENT = new Protocol(1, 1);
  }

  /**
   * The table's columns and partition columns. The first version has it; an overwrite records it
   * again, since it may change the schema or the partitioning. {@code schema} lists every column,
   * the partition columns last; a partition column is not stored in the files but given by each
   * file's {@link AddFile#partitionValues()}.
   */
  record Metadata(List<Column> schema, List<String> partitionColumns) implements LogAction {
    public Metadata {
      schema = List.copyOf(schema);
      partitionColumns = List.copyOf(partitionColumns);
    }

    /** The metadata of an unpartitioned table of {@code schema}. */
    public static Metadata of(Schema schema) {
      return new Metadata(schema.fields().stream().map(f -> new Column(f.name(), f.type().toString(), f.nullable()))
          .toList(), List.of());
    }

    /** This table's metadata partitioned by {@code columns}, appended to the schema in order. */
    public Metadata partitionedBy(List<Column> columns) {
      List<Column> all = new ArrayList<>(schema);
      all.addAll(columns);
      return new Metadata(all, columns.stream().map(Column::name).toList());
    }

    /** The partition columns with their types, in partitioning order. */
    public List<Column> partitionSchema() {
      return partitionColumns.stream().map(n -> schema.stream().filter(c -> c.name().equals(n)).findFirst()
          .orElseThrow(() -> new IllegalStateException("partition column " + n + " is not in the schema"))).toList();
    }

    /**
     * The table's schema as the log records it: names, types and nullability, each column plain,
     * since encodings are the files' own. What a version without files reads as.
     */
    public Schema schema(String table) throws LazyQFormatException {
      List<Field> fields = new ArrayList<>(schema.size());
      for (Column c : schema) {
        try {
          fields.add(new Field(c.name(), ColumnType.parse(c.type()), c.nullable(), ColumnEncoding.PLAIN));
        } catch (IllegalArgumentException e) {
          throw new LazyQFormatException(table, LazyQFormatException.NO_OFFSET, "the log of the table gives column "
              + c.name() + " the unknown type '" + c.type() + "'", e);
        }
      }
      return new Schema(fields, Map.of());
    }

    /** Whether rows of the other schema can join this table's: same names and types, in order. */
    public boolean compatible(Metadata other) {
      if (schema.size() != other.schema.size()) {
        return false;
      }
      for (int i = 0; i < schema.size(); i++) {
        Column a = schema.get(i);
        Column b = other.schema.get(i);
        if (!a.name().equals(b.name()) || !a.type().equals(b.type())) {
          return false;
        }
      }
      return partitionColumns.equals(other.partitionColumns);
    }
  }

  /** A column as {@code io.lazyq.format.ColumnType} spells its type. */
  record Column(String name, String type, boolean nullable) {
    public Column {
      Objects.requireNonNull(name);
      Objects.requireNonNull(type);
    }
  }

  /**
   * A file that joins the table. {@code path} is relative to the table directory, in its partition
   * directories ({@link PartitionPaths}); {@code partitionValues} holds each partition column's
   * value as a string, null for null, and is empty for an unpartitioned table; {@code stats} are its
   * columns' statistics, {@link FileStats#NONE} where the writer recorded none.
   */
  record AddFile(String path, long rows, long bytes, Map<String, String> partitionValues, long modificationTime,
      FileStats stats) implements LogAction {
    public AddFile {
      Objects.requireNonNull(path);
      partitionValues = Collections.unmodifiableMap(new LinkedHashMap<>(partitionValues));
      stats = stats == null ? FileStats.NONE : stats;
    }

    /** A file without statistics. */
    public AddFile(String path, long rows, long bytes, Map<String, String> partitionValues, long modificationTime) {
      this(path, rows, bytes, partitionValues, modificationTime, FileStats.NONE);
    }
  }

  /**
   * A file that leaves the table at this version. It stays in storage, for the readers of earlier
   * versions, until vacuum finds it removed for longer than the retention.
   */
  record RemoveFile(String path, long deletionTimestamp) implements LogAction {
    public RemoveFile {
      Objects.requireNonNull(path);
    }
  }

  /**
   * Who committed the version and how: the operation, the time (milliseconds since the epoch), the
   * job's id and the version that the job read (-1 for none).
   */
  record CommitInfo(Operation operation, long timestamp, String jobId, long readVersion) implements LogAction {
    public CommitInfo {
      Objects.requireNonNull(operation);
      Objects.requireNonNull(jobId);
    }
  }

  /** What a version did to the table. */
  enum Operation {
    /** Started the log: the schema, and the files the table held before it had a log (none for a new table). */
    CREATE,
    /** Added files. */
    APPEND,
    /** Replaced every file. */
    OVERWRITE,
    /** Replaced the files of the partitions it wrote, and only those. */
    OVERWRITE_PARTITIONS
  }
}
