package io.lazyq.format;

import io.lazyq.quant.QuantType;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A quantized column's stored blocks, aligned with its rows: row {@code r} holds, as one byte
 * string, the blocks whose first value is one of the row's value slots, in order, and holds none
 * where no block starts. So a row of a scalar column holds one block every {@code blockSize} rows,
 * and a list row the blocks that start among its elements. The blocks are the ones the file
 * stores, byte for byte; decoding the rows' blocks in row order gives the column's values.
 *
 * <p>A null row of a scalar column keeps its value slot (as in Arrow), so a block may start at a
 * null row; it is held there all the same, since the block also holds the values of the rows after.
 * Readers that show these bytes as a binary column (Spark's {@code dequantize=false}, Arrow's raw
 * export of a file that mixes plain and quantized columns) record the block parameters in the
 * column's metadata under the keys below.
 */
public final class RowBlocks {
  /** Metadata key: the block type's label, such as {@code q8_0}. */
  public static final String QUANT = "lazyq.quant";
  /** Metadata key: values per block. */
  public static final String BLOCK_SIZE = "lazyq.blockSize";
  /** Metadata key: bytes per block; 0 where blocks vary in size ({@code error_bounded}). */
  public static final String BLOCK_BYTES = "lazyq.blockBytes";
  /** Metadata key: the writer's maximum absolute error, present only where it guaranteed one. */
  public static final String ERROR_BOUND = "lazyq.errorBound";
  /** Metadata key: whether the column is a list, whose rows' values are its elements. */
  public static final String LIST = "lazyq.list";

  private final ByteBuffer values;
  private final ByteBuffer offsets;
  private final QuantType quant;
  private final long valueCount;

  /** The blocks of a quantized column chunk, which the view has validated. */
  public RowBlocks(ColumnView view) {
    if (!view.isQuantized()) {
      throw new IllegalArgumentException("column '" + view.field().name() + "' is not quantized");
    }
    this.values = view.valuesBuffer();
    this.offsets = view.offsetsBuffer();
    this.quant = view.field().encoding().quant();
    this.valueCount = view.chunk().valueCount();
  }

  /** The block parameters of a quantized field, as metadata under the keys above. */
  public static Map<String, String> metadata(Field field) {
    QuantType q = field.encoding().quant();
    Map<String, String> m = new LinkedHashMap<>();
    m.put(QUANT, q.label());
    m.put(BLOCK_SIZE, String.valueOf(q.blockSize()));
    m.put(BLOCK_BYTES, String.valueOf(q.isFixedSize() ? q.blockBytes() : 0));
    m.put(LIST, String.valueOf(field.type().isList()));
    if (field.encoding().hasErrorBound()) {
      m.put(ERROR_BOUND, String.valueOf(field.encoding().errorBound()));
    }
    return m;
  }

  /** Whether at least one block starts in row {@code row} of the chunk. */
  public boolean hasBlocks(int row) {
    return firstBlock(row) < endBlock(row);
  }

  /** Bytes of the blocks that start in the row. */
  public int length(int row) {
    return blockStart(endBlock(row)) - blockStart(firstBlock(row));
  }

  /** The bytes of the blocks that start in the row, copied; empty where none does. */
  public byte[] get(int row) {
    int from = blockStart(firstBlock(row));
    byte[] b = new byte[blockStart(endBlock(row)) - from];
    values.get(from, b);
    return b;
  }

  private long firstValue(int row) {
    return offsets == null ? row : offsets.getInt(row << 2);
  }

  /** The first block that starts at or after the row's first value. */
  private long firstBlock(int row) {
    return ceilDiv(Math.min(firstValue(row), valueCount), quant.blockSize());
  }

  /** The first block that starts at or after the next row's first value. */
  private long endBlock(int row) {
    return ceilDiv(Math.min(firstValue(row + 1), valueCount), quant.blockSize());
  }

  /** A block's offset in the values buffer; for variable-size blocks, from the region's offset table. */
  private int blockStart(long block) {
    if (quant.isFixedSize()) {
      return Math.toIntExact(block * quant.blockBytes());
    }
    long blocks = quant.blockCount(valueCount);
    return values.getInt(Math.toIntExact(4 + 4 * Math.min(block, blocks)));
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
