package io.lazyq.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.lazyq.gguf.GgufFile;
import io.lazyq.safetensors.SafetensorsFile;
import io.lazyq.testing.ReadAll;
import io.lazyq.testing.ReaderContract;
import io.lazyq.testing.ScratchFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/** The GGUF and Safetensors readers on arbitrary bytes, each tensor read after the index. */
class TensorFuzzTest {

  @FuzzTest
  @Timeout(ReaderContract.HANG_SECONDS)
  void gguf(byte[] input) throws Exception {
    Path file = ScratchFile.write(input);
    ReaderContract.check(input.length, () -> {
      try (GgufFile f = GgufFile.open(file)) {
        ReadAll.tensors(f);
      }
    });
  }

  @FuzzTest
  @Timeout(ReaderContract.HANG_SECONDS)
  void safetensors(byte[] input) throws Exception {
    Path file = ScratchFile.write(input);
    ReaderContract.check(input.length, () -> {
      try (SafetensorsFile f = SafetensorsFile.open(file)) {
        ReadAll.tensors(f);
      }
    });
  }
}
