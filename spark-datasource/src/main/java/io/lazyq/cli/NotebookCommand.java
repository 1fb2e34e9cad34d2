package io.lazyq.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lazyq notebook}: builds the Java kernel (Spark and LazyQ on its classpath) into
 * {@code notebooks/target/jupyter} if it is missing or stale, and starts Jupyter on {@code notebooks/}
 * with {@code JUPYTER_PATH} pointing there, so nothing is installed into the user's home.
 */
@Command(name = "notebook", mixinStandardHelpOptions = true,
    description = "Start Jupyter on the notebooks, with the LazyQ Java kernel (Spark and LazyQ on its classpath).")
public final class NotebookCommand implements Callable<Integer> {
  static final String INSTALL_HINT = "Jupyter is not installed. On Debian or Ubuntu: sudo apt-get install jupyter-notebook"
      + " python3-ipykernel; elsewhere: pip install notebook (or: pip install jupyterlab)";

  @Option(names = "--kernel-only", description = "Build and register the kernel, print how to use it, and exit.")
  boolean kernelOnly;

  @Option(names = "--no-browser", description = "Do not open a browser (for a remote machine).")
  boolean noBrowser;

  @Option(names = "--project", paramLabel = "DIR", description = "The LazyQ checkout (default: found from this program or the working directory).")
  Path project;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path root = project != null ? project.toAbsolutePath() : findProject()
        .orElseThrow(() -> new IllegalArgumentException("cannot find the LazyQ checkout (a directory with notebooks/pom.xml); pass --project DIR"));
    Path notebooks = root.resolve("notebooks");
    Path jupyterPath = notebooks.resolve("target/jupyter");
    Path kernelJson = jupyterPath.resolve("kernels/lazyq-java/kernel.json");
    // Maven leaves files whose content is unchanged alone, so a stamp of our own dates the build.
    Path stamp = jupyterPath.resolve(".built");
    if (!Files.exists(kernelJson) || isStale(stamp, root)) {
      out.println("lazyq notebook: building the kernel (mvn -pl notebooks -am package)...");
      out.flush();
      int built = run(new ProcessBuilder("mvn", "-q", "-B", "-DskipTests", "-pl", "notebooks", "-am", "package")
          .directory(root.toFile()).inheritIO());
      if (built != 0 || !Files.exists(kernelJson)) {
        spec.commandLine().getErr().println("lazyq notebook: the kernel build failed (exit " + built + ")");
        return LazyQ.FAILURE;
      }
      Files.write(stamp, new byte[0]);
    }
    out.println("kernel: " + kernelJson.getParent());
    if (kernelOnly) {
      out.println("to use it with your own Jupyter: export JUPYTER_PATH=" + jupyterPath + " and pick the kernel"
          + " \"Java 17 (LazyQ, Spark ...)\"");
      return LazyQ.OK;
    }
    Optional<String> app = jupyterApp();
    if (app.isEmpty()) {
      spec.commandLine().getErr().println("lazyq notebook: " + INSTALL_HINT);
      return LazyQ.FAILURE;
    }
    List<String> command = new ArrayList<>(List.of("jupyter", app.get(), "--notebook-dir=" + notebooks));
    if (noBrowser) {
      command.add("--no-browser");
    }
    if ("root".equals(System.getProperty("user.name"))) {
      command.add("--allow-root"); // in a container, say; Jupyter refuses root without it
    }
    ProcessBuilder jupyter = new ProcessBuilder(command).directory(notebooks.toFile()).inheritIO();
    String existing = System.getenv("JUPYTER_PATH");
    jupyter.environment().put("JUPYTER_PATH", existing == null ? jupyterPath.toString() : jupyterPath + File.pathSeparator + existing);
    Path fixtures = root.resolveSibling("shared/fixtures/ggml");
    if (System.getenv("LAZYQ_FIXTURES") == null && Files.isDirectory(fixtures)) {
      jupyter.environment().put("LAZYQ_FIXTURES", fixtures.toString());
    }
    out.println("lazyq notebook: " + String.join(" ", command) + " (stop with Ctrl-C)");
    out.flush();
    return run(jupyter);
  }

  /** JupyterLab where it is installed, else the classic notebook. */
  private static Optional<String> jupyterApp() throws InterruptedException {
    for (String app : List.of("lab", "notebook")) {
      try {
        Process p = new ProcessBuilder("jupyter", app, "--version").redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return Optional.of(app);
        }
      } catch (IOException e) {
        return Optional.empty(); // no jupyter command at all
      }
    }
    return Optional.empty();
  }

  /** The checkout this program runs from (spark-datasource/target/...), else the working directory or a parent. */
  private static Optional<Path> findProject() {
    List<Path> starts = new ArrayList<>();
    try {
      starts.add(Path.of(NotebookCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // no code source: the working directory decides
    }
    starts.add(Path.of("").toAbsolutePath());
    for (Path start : starts) {
      for (Path p = start; p != null; p = p.getParent()) {
        if (Files.exists(p.resolve("notebooks/pom.xml")) && Files.exists(p.resolve("pom.xml"))) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** Whether the build stamp is missing or older than a source or pom the kernel is built from. */
  private static boolean isStale(Path stamp, Path root) throws IOException {
    if (!Files.exists(stamp)) {
      return true;
    }
    long built = Files.getLastModifiedTime(stamp).toMillis();
    for (String module : List.of("connector", "arrow-bridge", "spark-datasource", "notebooks")) {
      Path src = root.resolve(module).resolve("src/main");
      if (Files.getLastModifiedTime(root.resolve(module).resolve("pom.xml")).toMillis() > built) {
        return true;
      }
      if (Files.isDirectory(src)) {
        try (Stream<Path> files = Files.walk(src)) {
          if (files.anyMatch(f -> lastModified(f) > built)) {
            return true;
          }
        }
      }
    }
    return Files.getLastModifiedTime(root.resolve("pom.xml")).toMillis() > built;
  }

  private static long lastModified(Path f) {
    try {
      return Files.getLastModifiedTime(f).toMillis();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }

  private static int run(ProcessBuilder pb) throws IOException, InterruptedException {
    return pb.start().waitFor();
  }
}
