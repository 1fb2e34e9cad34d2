package io.lazyq.format;

import io.lazyq.LazyQFormatException;
import java.util.List;

/**
 * The footer's index: every chunk's place and statistics. It is all that "plan mode" reads.
 *
 * @param chunks the chunks in file order
 * @param rowCount rows in the file
 */
public record ChunkIndex(List<ChunkDescriptor> chunks, long rowCount) {

  public ChunkIndex {
    chunks = List.copyOf(chunks);
  }

  /**
   * Decodes a footer frame's payload and checks that its chunks tile the file between the schema
   * frame and the footer.
   */
  public static ChunkIndex decode(java.nio.ByteBuffer payload, String source, long payloadOffset, Schema schema,
      long firstChunkOffset, long footerOffset) throws LazyQFormatException {
    return MetadataCodec.decodeFooter(payload, source, payloadOffset, schema, firstChunkOffset, footerOffset);
  }

  public int size() {
    return chunks.size();
  }

  public ChunkDescriptor chunk(int ordinal) {
    return chunks.get(ordinal);
  }

  /** Bytes stored for one column over all chunks. */
  public long columnBytes(int column) {
    long total = 0;
    for (ChunkDescriptor c : chunks) {
      total += c.column(column).length();
    }
    return total;
  }
}
