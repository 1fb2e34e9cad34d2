package io.lazyq.arrow;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/js/read-arrow.mjs} with Node.js and the JavaScript Arrow implementation,
 * installed on first use into {@code target/js} ({@code npm ci}, from the pinned lock file). Tests
 * are skipped, saying why, where Node.js or the package cannot be had.
 */
final class NodeArrow {
  private static final Path SOURCE = Path.of("src", "test", "js");
  private static final Path WORK = Path.of("target", "js");

  private NodeArrow() {}

  /** The JSON the script prints for {@code arrowFile}. */
  static JsonNode read(Path arrowFile) throws Exception {
    ensureInstalled();
    Process p = new ProcessBuilder("node", "read-arrow.mjs", arrowFile.toAbsolutePath().toString())
        .directory(WORK.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("node read-arrow.mjs failed on " + arrowFile);
    }
    return new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8));
  }

  private static synchronized void ensureInstalled() throws Exception {
    assumeTrue(run(Path.of("."), "node", "--version"), "Node.js is not installed: the independent Arrow reader check"
        + " is skipped (install nodejs and npm; run-tests does on Debian)");
    Files.createDirectories(WORK);
    for (String f : List.of("package.json", "package-lock.json", "read-arrow.mjs")) {
      Files.copy(SOURCE.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isDirectory(WORK.resolve("node_modules/apache-arrow"))) {
      assumeTrue(run(WORK, "npm", "ci", "--no-audit", "--no-fund"),
          "npm ci could not install apache-arrow into target/js (no registry access?): check skipped");
    }
  }

  private static boolean run(Path dir, String... command) {
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
