package io.lazyq.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The real Jupyter on this machine: {@code jupyter nbconvert --execute}, with the kernel built into target/. */
final class Jupyter {
  static final String INSTALL_HINT = "apt-get install jupyter-nbconvert python3-nbclient python3-ipykernel jupyter-client"
      + " (or: pip install nbconvert nbclient ipykernel)";
  private static final long TIMEOUT_MINUTES = 10;

  private final Path jupyterPath;
  private final Path output;
  private final Map<String, String> env;

  Jupyter(Path jupyterPath, Path output, Map<String, String> env) {
    this.jupyterPath = jupyterPath;
    this.output = output;
    this.env = env;
  }

  /** Why nbconvert cannot run here, or empty when it can. */
  static Optional<String> unavailable() {
    try {
      Process p = new ProcessBuilder("jupyter", "nbconvert", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
        return Optional.of("`jupyter nbconvert --version` failed: " + out.strip() + "; install: " + INSTALL_HINT);
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("no `jupyter` command on the PATH; install: " + INSTALL_HINT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  /** Why the {@code python3} kernel cannot import pyspark, or empty when it can. */
  Optional<String> pysparkUnavailable() throws IOException, InterruptedException {
    Process list = process(List.of("jupyter", "kernelspec", "list", "--json")).redirectErrorStream(false).start();
    JsonNode specs = new ObjectMapper().readTree(list.getInputStream());
    list.waitFor(2, TimeUnit.MINUTES);
    JsonNode argv = specs.path("kernelspecs").path("python3").path("spec").path("argv");
    if (!argv.isArray() || argv.isEmpty()) {
      return Optional.of("no python3 Jupyter kernel (apt-get install python3-ipykernel)");
    }
    String python = argv.get(0).asText();
    Process p = process(List.of(python, "-c", "import pyspark")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      String last = out.strip().lines().reduce((a, b) -> b).orElse("");
      return Optional.of("`import pyspark` fails in the python3 kernel (" + python + "): " + last);
    }
    return Optional.empty();
  }

  /**
   * Executes {@code notebook} with {@code kernel}; the executed copy, outputs included, goes to the
   * output directory and nbconvert's log beside it.
   *
   * @throws AssertionError if nbconvert fails (a cell error does), with the end of its log
   */
  ExecutedNotebook execute(Path notebook, String kernel) throws IOException, InterruptedException {
    Files.createDirectories(output);
    String name = notebook.getFileName().toString().replaceFirst("\\.ipynb$", "");
    Path log = output.resolve(name + ".log");
    List<String> command = new ArrayList<>(List.of("jupyter", "nbconvert", "--to", "notebook", "--execute",
        "--ExecutePreprocessor.kernel_name=" + kernel, "--ExecutePreprocessor.timeout=600",
        "--output-dir", output.toString(), notebook.toString()));
    long start = System.nanoTime();
    Process p = process(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(name + ": not done after " + TIMEOUT_MINUTES + " minutes; log: " + log);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (p.exitValue() != 0) {
      List<String> lines = Files.readAllLines(log);
      throw new AssertionError(name + ": nbconvert exited with " + p.exitValue() + "; log " + log + " ends:\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
    }
    return ExecutedNotebook.read(output.resolve(name + ".ipynb"), seconds);
  }

  private ProcessBuilder process(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.environment().put("JUPYTER_PATH", jupyterPath.toString());
    return pb;
  }
}
