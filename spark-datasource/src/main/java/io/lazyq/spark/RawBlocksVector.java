package io.lazyq.spark;

import io.lazyq.format.ColumnView;
import io.lazyq.format.RowBlocks;
import org.apache.spark.sql.types.DataTypes;

/**
 * A quantized column read with {@code dequantize=false}: each row holds the encoded blocks that
 * start in it, and is null where none does ({@link RowBlocks}, the layout Arrow's raw export of a
 * mixed file shares).
 */
final class RawBlocksVector extends ChunkVector {
  private RowBlocks blocks;

  RawBlocksVector() {
    super(DataTypes.BinaryType, false);
  }

  @Override
  void bind(ColumnView view) {
    super.bind(view);
    blocks = new RowBlocks(view);
  }

  /** Null where no block starts: a block that starts at a null row is still there, for the rows after it. */
  @Override
  public boolean isNullAt(int rowId) {
    return !blocks.hasBlocks(start + rowId);
  }

  @Override
  public byte[] getBinary(int rowId) {
    return isNullAt(rowId) ? null : blocks.get(start + rowId);
  }
}
