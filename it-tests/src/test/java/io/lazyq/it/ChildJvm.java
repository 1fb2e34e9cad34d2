package io.lazyq.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Java process started from this test JVM's classpath, so that a memory limit, a pipe or a
 * {@code kill -9} applies to it alone. Its standard output and error go to a log file, read back
 * once it has ended.
 */
final class ChildJvm {
  private final List<String> command = new ArrayList<>();
  private final Path log;
  private ProcessBuilder.Redirect stdin = ProcessBuilder.Redirect.PIPE;

  private ChildJvm(String heap, Path log, boolean underTime, String mainClass, String... args) {
    this.log = log;
    if (underTime) {
      command.addAll(List.of("/usr/bin/time", "-v"));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    // Spark's and Arrow's --add-opens, as every JVM of the build gets them.
    String opens = System.getProperty("lazyq.test.argLine", "");
    command.addAll(Arrays.stream(opens.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
  }

  /** Passes a system property of this JVM on to the child. */
  ChildJvm inherit(String property) {
    String value = System.getProperty(property);
    if (value != null) {
      command.add(command.indexOf("-cp"), "-D" + property + "=" + value);
    }
    return this;
  }

  /** Adds an option for the JVM itself, such as {@code -XX:TieredStopAtLevel=1}. */
  ChildJvm jvmOption(String option) {
    command.add(command.indexOf("-cp"), option);
    return this;
  }

  /** A JVM with at most {@code heap} of heap (as for {@code -Xmx}) running {@code mainClass}. */
  static ChildJvm of(String heap, Path log, String mainClass, String... args) {
    return new ChildJvm(heap, log, false, mainClass, args);
  }

  /** The same, under {@code /usr/bin/time -v} where it exists, which reports the peak RSS. */
  static ChildJvm timed(String heap, Path log, String mainClass, String... args) {
    return new ChildJvm(heap, log, TIME_AVAILABLE, mainClass, args);
  }

  /**
   * A JVM whose peak RSS is reported: by {@code /usr/bin/time -v} where it exists (the child
   * runs alone), else by {@link Measured} around the main class (which adds its JMX classes).
   */
  static ChildJvm forPeakRss(String heap, Path log, String mainClass, String... args) {
    if (TIME_AVAILABLE) {
      return timed(heap, log, mainClass, args);
    }
    String[] wrapped = new String[args.length + 1];
    wrapped[0] = mainClass;
    System.arraycopy(args, 0, wrapped, 1, args.length);
    return of(heap, log, Measured.class.getName(), wrapped);
  }

  static final boolean TIME_AVAILABLE = new File("/usr/bin/time").canExecute();

  /** Reads standard input from {@code file} instead of a pipe from this JVM. */
  ChildJvm stdinFrom(Path file) {
    stdin = ProcessBuilder.Redirect.from(file.toFile());
    return this;
  }

  Process start() throws IOException {
    Files.createDirectories(log.getParent());
    return new ProcessBuilder(command).redirectInput(stdin)
        .redirectOutput(log.toFile()).redirectErrorStream(true).start();
  }

  /** Runs to completion within {@code minutes} and returns the exit code and the log. */
  Result run(int minutes) throws IOException, InterruptedException {
    Process p = start();
    p.getOutputStream().close();
    return await(p, minutes);
  }

  /** Waits for a started process (killing it after {@code minutes}) and reads its log. */
  Result await(Process p, int minutes) throws IOException, InterruptedException {
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("child JVM still running after " + minutes + " min: " + command
          + "\n" + Files.readString(log));
    }
    return new Result(p.exitValue(), Files.readString(log));
  }

  /** A finished child: its exit code and everything it printed. */
  record Result(int exitCode, String output) {
    /** The values of its {@code key=value} lines. */
    Map<String, String> values() {
      return Reports.values(output);
    }
  }
}
