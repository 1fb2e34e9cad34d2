package io.lazyq.arrow;

import io.lazyq.Closeables;
import io.lazyq.arrow.ArrowReadOptions.QuantizedView;
import io.lazyq.format.ColumnView;
import io.lazyq.format.Field;
import io.lazyq.format.LzqFile;
import io.lazyq.format.LzqStream;
import io.lazyq.format.RowBlocks;
import io.lazyq.quant.QuantType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An Arrow {@link ArrowReader} over a LazyQ file, so that Arrow's IPC writers and the C Data
 * Interface ({@code Data.exportArrayStream}) take it as they are.
 *
 * <p>Over a {@link LzqFile}, plain and raw columns point into the mapped file (zero-copy); over an
 * {@link LzqStream} they are copies, since the stream reuses its buffer. Only selected columns
 * are mapped. Dequantized columns are decoded batch by batch into vectors allocated once. A batch
 * never spans two chunks. The reader owns the file or stream and closes it.
 */
public final class LzqArrowReader extends ArrowReader {
  static {
    QuantizedType.register();
  }

  private final Chunks chunks;
  private final int[] ordinals;
  private final boolean[] dequantize;
  /** Per column, whether it is a raw quantized column beside table-row columns, shown as {@link RowBlocks}. */
  private final boolean[] rowBlocks;
  /** Whether every column is raw: then a row is a block. */
  private final boolean raw;
  private final int batchRows;
  private final Schema schema;
  private final Dequantizer dequantizer;
  private ColumnView[] current;
  private int position;
  private int units;
  private long bytesRead;
  private boolean allocated;

  private LzqArrowReader(Chunks chunks, ArrowReadOptions options, BufferAllocator allocator) {
    super(allocator);
    this.chunks = chunks;
    io.lazyq.format.Schema lzq = chunks.schema();
    List<String> names = options.columns();
    if (names == null) {
      names = lzq.fields().stream().map(Field::name).toList();
    }
    ordinals = new int[names.size()];
    dequantize = new boolean[names.size()];
    rowBlocks = new boolean[names.size()];
    List<org.apache.arrow.vector.types.pojo.Field> fields = new ArrayList<>();
    int rawColumns = 0;
    for (String name : names) {
      Field f = lzq.indexOf(name) < 0 ? null : lzq.field(lzq.indexOf(name));
      if (f != null && f.encoding().isQuantized() && options.view(name) == QuantizedView.RAW) {
        rawColumns++;
      }
    }
    // Rows of an all-raw reader are blocks; beside table-row columns, raw blocks align with rows.
    boolean blockRows = rawColumns > 0 && rawColumns == names.size();
    int rawBlockSize = -1;
    for (int i = 0; i < ordinals.length; i++) {
      int ordinal = lzq.indexOf(names.get(i));
      if (ordinal < 0) {
        throw new IllegalArgumentException("no column '" + names.get(i) + "'; columns: "
            + lzq.fields().stream().map(Field::name).toList());
      }
      ordinals[i] = ordinal;
      Field f = lzq.field(ordinal);
      QuantizedView view = options.view(f.name());
      boolean rawColumn = f.encoding().isQuantized() && view == QuantizedView.RAW;
      if (rawColumn && blockRows) {
        QuantType q = f.encoding().quant();
        if (rawBlockSize >= 0 && rawBlockSize != q.blockSize()) {
          throw new IllegalArgumentException("raw columns in one reader need one block size: column '" + f.name()
              + "' has " + q.blockSize() + ", another " + rawBlockSize);
        }
        rawBlockSize = q.blockSize();
      }
      dequantize[i] = f.encoding().isQuantized() && view == QuantizedView.DEQUANTIZED;
      rowBlocks[i] = rawColumn && !blockRows;
      fields.add(rowBlocks[i] ? ArrowSchemas.rowBlocksField(f)
          : ArrowSchemas.field(f, view, rawColumn ? chunks.values(ordinal) : -1));
    }
    this.raw = blockRows;
    this.batchRows = options.batchRows();
    this.schema = new Schema(fields, lzq.metadata());
    this.dequantizer = new Dequantizer(Math.min(batchRows, 1 << 16));
  }

  /** Reads a mapped file, zero-copy. */
  public static LzqArrowReader open(LzqFile file, ArrowReadOptions options, BufferAllocator allocator) {
    return new LzqArrowReader(Chunks.of(file), options, allocator);
  }

  /** Reads a stream chunk by chunk, copying into Arrow memory. */
  public static LzqArrowReader open(LzqStream stream, ArrowReadOptions options, BufferAllocator allocator) {
    return new LzqArrowReader(Chunks.of(stream), options, allocator);
  }

  /** Allocates the dequantized vectors once, at the largest batch; every batch reuses them. */
  private void allocateOnce() throws IOException {
    if (allocated) {
      return;
    }
    allocated = true;
    VectorSchemaRoot root = getVectorSchemaRoot();
    for (int i = 0; i < ordinals.length; i++) {
      if (dequantize[i]) {
        FieldVector v = root.getVector(i);
        v.setInitialCapacity(batchRows);
        v.allocateNew();
      }
    }
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    prepareLoadNextBatch();
    allocateOnce();
    while (current == null || position >= units) {
      releaseChunk();
      if (!chunks.next()) {
        return false;
      }
      openChunk();
    }
    int n = Math.min(batchRows, units - position);
    VectorSchemaRoot root = getVectorSchemaRoot();
    for (int i = 0; i < ordinals.length; i++) {
      FieldVector v = root.getVector(i);
      if (raw) {
        bytesRead += BlockLoader.load(current[i], position, n, v, allocator);
      } else if (rowBlocks[i]) {
        bytesRead += RowBlockLoader.load(current[i], position, n, (VarBinaryVector) v);
      } else if (dequantize[i]) {
        dequantizer.fill(current[i], position, n, v);
        bytesRead += v.getBufferSize();
      } else {
        bytesRead += PlainLoader.load(current[i], position, n, v, allocator);
      }
    }
    root.setRowCount(n);
    position += n;
    return true;
  }

  /** Maps the selected columns of the new chunk, checking them all before any batch of it is made. */
  private void openChunk() throws IOException {
    current = new ColumnView[ordinals.length];
    for (int i = 0; i < ordinals.length; i++) {
      current[i] = chunks.column(ordinals[i]);
    }
    position = 0;
    units = chunks.rows();
    if (raw) {
      for (int i = 0; i < ordinals.length; i++) {
        int blocks = BlockLoader.blocks(current[i]);
        if (i > 0 && blocks != units) {
          throw Slices.corrupt(current[i], blocks + " blocks where the other raw columns have " + units);
        }
        units = blocks;
      }
    }
  }

  private void releaseChunk() throws IOException {
    if (current == null) {
      return;
    }
    ColumnView[] views = current;
    current = null;
    Closeables.closeAll(views);
  }

  /** Bytes of the input the batches so far referred to, copied or decoded. */
  @Override
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  protected void closeReadSource() throws IOException {
    try {
      releaseChunk();
    } finally {
      chunks.close();
    }
  }

  @Override
  protected Schema readSchema() {
    return schema;
  }

}
