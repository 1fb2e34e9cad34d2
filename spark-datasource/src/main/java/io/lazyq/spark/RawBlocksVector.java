package io.lazyq.spark;

import io.lazyq.format.ColumnView;
import io.lazyq.quant.QuantType;
import java.nio.ByteBuffer;
import org.apache.spark.sql.types.DataTypes;

/**
 * A quantized column read with {@code dequantize=false}: row {@code r} holds the encoded blocks
 * whose first value is one of the row's values, and is null where no block starts. Variable-size
 * blocks are located through the region's offset table, which the view validated.
 */
final class RawBlocksVector extends ChunkVector {
  private ByteBuffer values;
  private ByteBuffer offsets;
  private QuantType quant;
  private long valueCount;

  RawBlocksVector() {
    super(DataTypes.BinaryType, false);
  }

  @Override
  void bind(ColumnView view) {
    super.bind(view);
    values = view.valuesBuffer();
    offsets = view.offsetsBuffer();
    quant = view.field().encoding().quant();
    valueCount = view.chunk().valueCount();
  }

  @Override
  public boolean isNullAt(int rowId) {
    return super.isNullAt(rowId) || firstBlock(rowId) >= endBlock(rowId);
  }

  @Override
  public byte[] getBinary(int rowId) {
    if (isNullAt(rowId)) {
      return null;
    }
    int from = blockStart(firstBlock(rowId));
    int to = blockStart(endBlock(rowId));
    byte[] b = new byte[to - from];
    values.get(from, b);
    return b;
  }

  private long firstValue(int row) {
    return offsets == null ? row : offsets.getInt(row << 2);
  }

  private long firstBlock(int rowId) {
    return ceilDiv(firstValue(start + rowId), quant.blockSize());
  }

  private long endBlock(int rowId) {
    long end = offsets == null ? start + rowId + 1L : firstValue(start + rowId + 1);
    return ceilDiv(Math.min(end, valueCount), quant.blockSize());
  }

  private int blockStart(long block) {
    if (quant.isFixedSize()) {
      return Math.toIntExact(block * quant.blockBytes());
    }
    return values.getInt(Math.toIntExact(4 + 4 * block));
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
