package io.lazyq.arrow;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.lazyq.format.LzqFile;
import io.lazyq.format.LzqStream;
import io.lazyq.format.StreamOptions;
import io.lazyq.storage.MappingStats;
import io.lazyq.testing.ReaderContract;
import io.lazyq.testing.Reseal;
import io.lazyq.testing.ScratchFile;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Timeout;

/**
 * {@link LzqArrowReader} on arbitrary bytes, over a mapped file and over a stream, as they are and
 * resealed ({@link Reseal}). Besides the
 * reader contract, every input must leave its allocator empty and nothing mapped, and every byte
 * of every batch's buffers is read, so that a buffer pointing outside its mapping would fault here.
 */
class ArrowReaderFuzzTest {

  @FuzzTest
  @Timeout(ReaderContract.HANG_SECONDS)
  void mapped(byte[] input) throws Exception {
    for (byte[] bytes : Reseal.asIsAndResealed(input)) {
      Path file = ScratchFile.write(bytes);
      readChecked(bytes.length, allocator -> LzqArrowReader.open(LzqFile.open(file), ArrowReadOptions.defaults(),
          allocator));
    }
  }

  @FuzzTest
  @Timeout(ReaderContract.HANG_SECONDS)
  void stream(byte[] input) {
    for (byte[] bytes : Reseal.asIsAndResealed(input)) {
      readChecked(bytes.length, allocator -> LzqArrowReader.open(
          LzqStream.open(new ByteArrayInputStream(bytes), "<fuzz>", StreamOptions.DEFAULTS),
          ArrowReadOptions.defaults(), allocator));
    }
  }

  private interface Opener {
    ArrowReader open(BufferAllocator allocator) throws Exception;
  }

  /** One root for every input: a child per input is far cheaper than a root, and accounts the same. */
  private static final BufferAllocator ROOT = new RootAllocator();

  private static void readChecked(long inputBytes, Opener opener) {
    long mappedBefore = MappingStats.processLiveMappings();
    try (BufferAllocator allocator = ROOT.newChildAllocator("input", 0, Long.MAX_VALUE)) {
      ReaderContract.check(inputBytes, () -> {
        try (ArrowReader reader = opener.open(allocator)) {
          while (reader.loadNextBatch()) {
            for (FieldVector v : reader.getVectorSchemaRoot().getFieldVectors()) {
              touch(v);
            }
          }
        }
      });
      if (allocator.getAllocatedMemory() != 0) {
        throw new AssertionError(allocator.getAllocatedMemory() + " bytes of Arrow memory left allocated");
      }
      if (allocator.getPeakMemoryAllocation() > ReaderContract.allowance(inputBytes)) {
        throw new AssertionError("Arrow memory peaked at " + allocator.getPeakMemoryAllocation() + " bytes");
      }
    }
    if (MappingStats.processLiveMappings() != mappedBefore) {
      throw new AssertionError((MappingStats.processLiveMappings() - mappedBefore) + " mappings left open");
    }
  }

  /** Reads every byte of a vector's buffers and its children's. */
  private static long touch(FieldVector v) {
    long sum = v.getValueCount();
    for (ArrowBuf b : v.getFieldBuffers()) {
      for (long i = 0; i < b.capacity(); i++) {
        sum += b.getByte(i);
      }
    }
    for (FieldVector child : v.getChildrenFromFields()) {
      sum += touch(child);
    }
    return sum;
  }
}
