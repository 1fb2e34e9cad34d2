package io.lazyq.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Spark standalone cluster of separate JVMs on 127.0.0.1: Spark's own {@code Master} and two
 * {@code Worker}s, started from the test classpath, each worker launching executors in JVMs of
 * its own. Started for a test class that registers the extension, and stopped (processes
 * destroyed and awaited) after it.
 *
 * <p>Workers launch executors with the classpath of {@code SPARK_HOME/jars}: a directory of links
 * to the test classpath's jars, without LazyQ's, so that executors see LazyQ only through the
 * bundle jar a job adds.
 */
final class SparkCluster implements BeforeAllCallback {
  static final int WORKERS = 2;
  static final int CORES_PER_WORKER = 1;
  static final String EXECUTOR_MEMORY = "1g";
  private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

  private static Running running;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    synchronized (SparkCluster.class) {
      if (running == null) {
        Running r = start();
        // Closed after the test class, so that its JVMs do not outlive their use.
        context.getStore(ExtensionContext.Namespace.GLOBAL).put(SparkCluster.class, r);
        running = r;
      }
    }
  }

  /** The running cluster; the extension must have started it. */
  static Running get() {
    if (running == null) {
      throw new IllegalStateException("register SparkCluster as an extension first");
    }
    return running;
  }

  private static Running start() throws Exception {
    Path home = SparkHome.create();
    int masterPort = freePort();
    int masterUi = freePort();
    List<Process> processes = new ArrayList<>();
    Running r = new Running("spark://127.0.0.1:" + masterPort, masterUi, home, processes);
    try {
      processes.add(daemon(home, "spark-master.log", "org.apache.spark.deploy.master.Master",
          "--host", "127.0.0.1", "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(masterUi)));
      for (int w = 0; w < WORKERS; w++) {
        Path work = Files.createDirectories(home.resolveSibling("spark-work").resolve("worker-" + w));
        processes.add(daemon(home, "spark-worker-" + w + ".log", "org.apache.spark.deploy.worker.Worker",
            "--host", "127.0.0.1", "--port", Integer.toString(freePort()), "--webui-port", Integer.toString(freePort()),
            "--cores", Integer.toString(CORES_PER_WORKER), "--memory", "2g", "--work-dir", work.toString(), r.masterUrl()));
      }
      r.awaitWorkers(Duration.ofSeconds(90));
      return r;
    } catch (Exception | Error e) {
      r.close();
      throw e;
    }
  }

  /** Starts one of Spark's daemons in its own JVM, its output in a log file. */
  private static Process daemon(Path home, String log, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Dlog4j2.configurationFile=" + home.resolve("conf/log4j2.properties").toUri()));
    cmd.addAll(List.of(System.getProperty("lazyq.test.argLine", "").trim().split("\\s+")));
    cmd.addAll(List.of("-cp", home.resolve("jars").toString() + "/*", mainClass));
    cmd.addAll(List.of(args));
    cmd.removeIf(String::isEmpty);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ItData.log(log).toFile());
    Map<String, String> env = pb.environment();
    // What a Worker needs to build an executor's command: Spark's home (its jars/ and a RELEASE
    // file, as a distribution has) and the Scala version.
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", scala.util.Properties.versionNumberString().replaceAll("^(\\d+\\.\\d+).*", "$1"));
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.remove("SPARK_CONF_DIR");
    return pb.start();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A started cluster. Closing it stops every daemon and the executors they launched. */
  record Running(String masterUrl, int masterUiPort, Path sparkHome, List<Process> processes)
      implements ExtensionContext.Store.CloseableResource {

    void awaitWorkers(Duration timeout) throws Exception {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      long deadline = System.nanoTime() + timeout.toNanos();
      String last = "";
      while (System.nanoTime() < deadline) {
        for (Process p : processes) {
          if (!p.isAlive()) {
            throw new IllegalStateException("a Spark daemon ended at start (exit " + p.exitValue() + "); see "
                + ItData.log("spark-master.log").getParent());
          }
        }
        try {
          last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/")).build(),
              HttpResponse.BodyHandlers.ofString()).body();
          Matcher m = ALIVE_WORKERS.matcher(last);
          if (m.find() && Integer.parseInt(m.group(1)) == WORKERS) {
            return;
          }
        } catch (IOException e) {
          // the master's UI is not up yet
        }
        Thread.sleep(250);
      }
      throw new IllegalStateException("workers did not register within " + timeout + ": " + last);
    }

    @Override
    public void close() {
      synchronized (SparkCluster.class) {
        running = null;
      }
      List<ProcessHandle> all = new ArrayList<>();
      for (Process p : processes) {
        p.toHandle().descendants().forEach(all::add);
        all.add(p.toHandle());
      }
      // Workers first (they stop their executors), then the master; anything left is killed.
      for (int i = processes.size() - 1; i >= 0; i--) {
        processes.get(i).destroy();
      }
      for (ProcessHandle h : all) {
        try {
          h.onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
          h.destroyForcibly();
        }
      }
    }
  }

  /** A minimal SPARK_HOME under target/: jars/ (links), conf/ and a RELEASE file. */
  static final class SparkHome {
    private SparkHome() {}

    static Path create() throws IOException {
      Path home = Path.of(System.getProperty("lazyq.it.data", "target/it-data")).toAbsolutePath()
          .resolveSibling("spark-home");
      ItData.delete(home);
      Path jars = Files.createDirectories(home.resolve("jars"));
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        Path p = Path.of(entry);
        String name = p.getFileName().toString();
        if (name.endsWith(".jar") && Files.isRegularFile(p) && sparkDistributionHas(p)) {
          try {
            Files.createSymbolicLink(jars.resolve(name), p.toAbsolutePath());
          } catch (java.nio.file.FileAlreadyExistsException e) {
            // the same jar name twice on the classpath: the first wins, as on a classpath
          }
        }
      }
      Files.createDirectories(home.resolve("conf"));
      Files.writeString(home.resolve("conf/log4j2.properties"), String.join("\n",
          "rootLogger.level = warn",
          "rootLogger.appenderRef.stdout.ref = console",
          "appender.console.type = Console",
          "appender.console.name = console",
          "appender.console.target = SYSTEM_ERR",
          "appender.console.layout.type = PatternLayout",
          "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n%ex",
          "logger.master.name = org.apache.spark.deploy",
          "logger.master.level = info", ""));
      Files.writeString(home.resolve("RELEASE"), "Spark (jars of the LazyQ test classpath)\n");
      return home;
    }

    /**
     * Whether a Spark distribution would hold this jar: not LazyQ's own (they come in the bundle),
     * not arrow-c-data (Spark lacks it, which the bundle must make up for), not test libraries.
     */
    private static boolean sparkDistributionHas(Path jar) {
      String path = jar.toString().replace('\\', '/');
      String name = jar.getFileName().toString();
      return !path.contains("/io/lazyq/") && !name.startsWith("lazyq-") && !name.startsWith("arrow-c-data")
          && !path.contains("/org/junit/") && !path.contains("/org/opentest4j/") && !path.contains("/org/apiguardian/")
          && !path.contains("/org/testcontainers/") && !path.contains("/com/github/docker-java/");
    }
  }
}
