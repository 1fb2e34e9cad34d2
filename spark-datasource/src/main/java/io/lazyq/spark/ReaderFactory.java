package io.lazyq.spark;

import io.lazyq.format.ColumnEncoding;
import io.lazyq.format.ColumnType;
import io.lazyq.format.Field;
import io.lazyq.format.Schema;
import io.lazyq.storage.Storage;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/** Creates the columnar reader of a partition; lazyq reads batches only. */
final class ReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  private final LazyQReadConf conf;
  private final Broadcast<StorageConf> storage;
  /** The selected columns, as names and types spelled as {@link ColumnType#parse} reads them (fields do not serialize). */
  private final String[] names;
  private final String[] types;
  private final boolean[] nullable;
  private final boolean[] quantized;
  private final int[] columns;
  private final boolean appending;
  /** The selected partition columns, after the data columns; null for none. */
  private PartitionConstants partitions;

  /**
   * @param columns the selected columns' ordinals in the files' schema, in read-schema order
   * @param storage the Hadoop configuration, broadcast once per scan
   * @param appending whether files may still be growing, as a stream's are
   */
  ReaderFactory(LazyQReadConf conf, Broadcast<StorageConf> storage, Schema schema, int[] columns, boolean appending) {
    this.conf = conf;
    this.storage = storage;
    this.appending = appending;
    this.columns = columns.clone();
    this.names = new String[columns.length];
    this.types = new String[columns.length];
    this.nullable = new boolean[columns.length];
    this.quantized = new boolean[columns.length];
    for (int i = 0; i < columns.length; i++) {
      Field f = schema.field(columns[i]);
      names[i] = f.name();
      types[i] = f.type().toString();
      nullable[i] = f.nullable();
      quantized[i] = f.encoding().isQuantized();
    }
  }

  /** This factory, filling the selected partition columns of a partitioned table (none for null). */
  ReaderFactory withPartitions(PartitionConstants selected) {
    this.partitions = selected;
    return this;
  }

  @Override
  public boolean supportColumnarReads(InputPartition partition) {
    return true;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    throw new UnsupportedOperationException("lazyq reads columnar batches only");
  }

  @Override
  public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
    ChunkGroup group = (ChunkGroup) partition;
    // Before anything that needs releasing: fetching the broadcast may fail, or be interrupted.
    Storage files = storage.value().storage();
    ReadCounters counters = new ReadCounters();
    BufferAllocator allocator = TaskAllocators.newTaskAllocator(taskName());
    ChunkVector[] vectors = new ChunkVector[columns.length];
    PartitionConstants.Vectors constants = null;
    try {
      for (int i = 0; i < columns.length; i++) {
        vectors[i] = vector(i, counters, allocator);
      }
      constants = partitions == null ? null : partitions.vectors(group, conf.batchRows());
    } catch (RuntimeException e) {
      for (ChunkVector v : vectors) {
        if (v != null) {
          v.release();
        }
      }
      allocator.close();
      throw e;
    }
    return new ChunkBatchReader(source(files, group), vectors, constants, conf.batchRows(), counters, allocator);
  }

  private ChunkSource source(Storage files, ChunkGroup group) {
    if (conf.stream() && columns.length > 0 && !conf.verify()) {
      return new StreamedChunks(files, group, columns);
    }
    // With no column selected (count(*)), the index's row counts are the whole answer: read nothing,
    // unless each chunk is to be verified.
    MappedChunks mapped = new MappedChunks(files, group, columns, appending, conf.verify());
    if (conf.prefetch() == 0 || columns.length == 0) {
      return mapped;
    }
    boolean[] dequantizeAhead = new boolean[columns.length];
    for (int i = 0; i < columns.length; i++) {
      // Whole chunks of list elements could be far larger than a batch; those decode batch by batch.
      dequantizeAhead[i] = conf.prefetchDequantize() && conf.dequantize() && quantized[i]
          && !ColumnType.parse(types[i]).isList();
    }
    return new PrefetchedChunks(mapped, conf.prefetch(), dequantizeAhead);
  }

  private ChunkVector vector(int i, ReadCounters counters, BufferAllocator allocator) {
    ColumnType type = ColumnType.parse(types[i]);
    if (!quantized[i]) {
      Field field = new Field(names[i], type, nullable[i], ColumnEncoding.PLAIN);
      return new ArrowPlainVector(SparkSchemas.type(type), field, allocator);
    }
    if (!conf.dequantize()) {
      return new RawBlocksVector();
    }
    return type.isList() ? new ListVector((ArrayType) SparkSchemas.type(type), new DequantizedVector(true, counters))
        : new DequantizedVector(false, counters);
  }

  private static String taskName() {
    TaskContext task = TaskContext.get();
    return "lazyq-task-" + (task == null ? Thread.currentThread().getName() : task.taskAttemptId());
  }
}
