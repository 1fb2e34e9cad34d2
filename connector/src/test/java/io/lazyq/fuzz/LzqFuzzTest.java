package io.lazyq.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.lazyq.format.LzqFile;
import io.lazyq.format.LzqStream;
import io.lazyq.format.StreamOptions;
import io.lazyq.testing.ReadAll;
import io.lazyq.testing.ReaderContract;
import io.lazyq.testing.Reseal;
import io.lazyq.testing.ScratchFile;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/**
 * Both {@code .lzq} readers on arbitrary bytes: the seekable one over a file, the sequential one
 * over a stream. Each input is read as it is and, with its checksums recomputed ({@link Reseal}), a
 * second time, so that the fuzzer reaches the structure behind the checksums. Seeds:
 * {@code LzqFuzzTestInputs/<method>/}, written by {@link SeedCorpus}.
 */
class LzqFuzzTest {

  @FuzzTest
  @Timeout(ReaderContract.HANG_SECONDS)
  void mapped(byte[] input) throws Exception {
    for (byte[] bytes : Reseal.asIsAndResealed(input)) {
      Path file = ScratchFile.write(bytes);
      ReaderContract.check(bytes.length, () -> {
        try (LzqFile lzq = LzqFile.open(file)) {
          ReadAll.lzq(lzq);
        }
      });
    }
  }

  @FuzzTest
  @Timeout(ReaderContract.HANG_SECONDS)
  void stream(byte[] input) {
    for (byte[] bytes : Reseal.asIsAndResealed(input)) {
      ReaderContract.check(bytes.length, () -> {
        try (LzqStream s = LzqStream.open(new ByteArrayInputStream(bytes), "<fuzz>", StreamOptions.DEFAULTS)) {
          ReadAll.lzq(s);
        }
      });
    }
  }
}
