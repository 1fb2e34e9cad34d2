package io.lazyq.spark;

import io.lazyq.format.ColumnType;
import io.lazyq.format.Field;
import io.lazyq.format.Schema;
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
  /** The selected columns' types, spelled as {@link ColumnType#parse} reads them (fields do not serialize). */
  private final String[] types;
  private final boolean[] quantized;
  private final int[] columns;

  /** @param columns the selected columns' ordinals in the files' schema, in read-schema order */
  ReaderFactory(LazyQReadConf conf, Schema schema, int[] columns) {
    this.conf = conf;
    this.columns = columns.clone();
    this.types = new String[columns.length];
    this.quantized = new boolean[columns.length];
    for (int i = 0; i < columns.length; i++) {
      Field f = schema.field(columns[i]);
      types[i] = f.type().toString();
      quantized[i] = f.encoding().isQuantized();
    }
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
    ReadCounters counters = new ReadCounters();
    ChunkVector[] vectors = new ChunkVector[columns.length];
    for (int i = 0; i < columns.length; i++) {
      vectors[i] = vector(ColumnType.parse(types[i]), quantized[i], counters);
    }
    ChunkSource source = conf.stream() ? new StreamedChunks(group, columns) : new MappedChunks(group, columns);
    return new ChunkBatchReader(source, vectors, conf.batchRows(), counters);
  }

  private ChunkVector vector(ColumnType type, boolean isQuantized, ReadCounters counters) {
    if (isQuantized && !conf.dequantize()) {
      return new RawBlocksVector();
    }
    if (type.isList()) {
      ArrayType arrayType = (ArrayType) SparkSchemas.type(type);
      ChunkVector elements = isQuantized ? new DequantizedVector(true, counters)
          : new PlainVector(arrayType.elementType(), type.element(), true);
      return new ListVector(arrayType, elements);
    }
    return isQuantized ? new DequantizedVector(false, counters)
        : new PlainVector(SparkSchemas.type(type), type.kind(), false);
  }
}
