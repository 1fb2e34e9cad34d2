package io.lazyq.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A Spark standalone cluster in containers, started by Testcontainers: a master and two workers,
 * each worker launching its executors inside its container, with the test data directory
 * bind-mounted into every container at the same path. The image ({@code LAZYQ_IT_IMAGE}, built by
 * {@code containers/build-image.sh}) is local and never pulled. The containers share the host's
 * network, so the master, the workers and the driver in this JVM meet on 127.0.0.1.
 *
 * <p>Without a container engine or the image, the tests are skipped, saying why; with
 * {@code LAZYQ_IT_REQUIRE_CONTAINERS=1} (CI) they fail instead.
 */
final class ContainerCluster implements ExecutionCondition, BeforeAllCallback {
  private static final String IMAGE = System.getenv("LAZYQ_IT_IMAGE");
  private static final boolean REQUIRED = "1".equals(System.getenv("LAZYQ_IT_REQUIRE_CONTAINERS"));
  private static Running running;
  private static String missing;

  /** Skips, with the reason, where there is no engine or image, unless they are required. */
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String why = missing();
    return why == null || REQUIRED ? ConditionEvaluationResult.enabled("container engine and image present")
        : ConditionEvaluationResult.disabled("container cluster skipped: " + why);
  }

  private static synchronized String missing() {
    if (missing == null) {
      missing = IMAGE == null ? "LAZYQ_IT_IMAGE is not set (run-tests builds the image, as root)"
          : !DockerClientFactory.instance().isDockerAvailable() ? "no container engine at DOCKER_HOST" : "";
      if (!missing.isEmpty()) {
        System.err.println("container cluster " + (REQUIRED ? "required, but " : "skipped: ") + missing);
      }
    }
    return missing.isEmpty() ? null : missing;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    synchronized (ContainerCluster.class) {
      if (running == null) {
        if (missing() != null) {
          throw new IllegalStateException("container cluster required (LAZYQ_IT_REQUIRE_CONTAINERS=1), but " + missing());
        }
        Running r = start(IMAGE, ItData.shared());
        context.getStore(ExtensionContext.Namespace.GLOBAL).put(ContainerCluster.class, r);
        running = r;
      }
    }
  }

  static Running get() {
    if (running == null) {
      throw new IllegalStateException("register ContainerCluster as an extension first");
    }
    return running;
  }

  private static Running start(String image, Path data) throws Exception {
    int masterPort = SparkCluster.freePort();
    String master = "spark://127.0.0.1:" + masterPort;
    List<GenericContainer<?>> containers = new ArrayList<>();
    Running r = new Running(master, containers);
    try {
      containers.add(node(image, data, "spark-master-container.log", ".*I have been elected leader.*",
          "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", Integer.toString(masterPort),
          "--webui-port", Integer.toString(SparkCluster.freePort())));
      containers.get(0).start();
      for (int w = 0; w < SparkCluster.WORKERS; w++) {
        containers.add(node(image, data, "spark-worker-container-" + w + ".log", ".*Successfully registered with master.*",
            "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
            "--port", Integer.toString(SparkCluster.freePort()), "--webui-port", Integer.toString(SparkCluster.freePort()),
            "--cores", Integer.toString(SparkCluster.CORES_PER_WORKER), "--memory", "2g", master));
      }
      containers.subList(1, containers.size()).parallelStream().forEach(GenericContainer::start);
      return r;
    } catch (RuntimeException | Error e) {
      r.close();
      throw e;
    }
  }

  @SuppressWarnings("resource") // closed by Running.close()
  private static GenericContainer<?> node(String image, Path data, String log, String ready, String mainClass,
      String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("java", "-Xmx256m",
        "-Dlog4j2.configurationFile=file:/opt/spark/conf/log4j2.properties"));
    cmd.addAll(List.of(System.getProperty("lazyq.test.argLine", "").trim().split("\\s+")));
    cmd.addAll(List.of("-cp", "/opt/spark/conf:/opt/spark/jars/*", mainClass));
    cmd.addAll(List.of(args));
    cmd.removeIf(String::isEmpty);
    Path logFile = ItData.log(log);
    Files.deleteIfExists(logFile);
    return new GenericContainer<>(DockerImageName.parse(image))
        .withImagePullPolicy(name -> false)
        .withNetworkMode("host")
        .withEnv("SPARK_LOCAL_IP", "127.0.0.1")
        .withFileSystemBind(data.toString(), data.toString(), BindMode.READ_WRITE)
        .withCommand(cmd.toArray(String[]::new))
        .withLogConsumer(frame -> append(logFile, frame.getUtf8String()))
        .waitingFor(Wait.forLogMessage(ready + "\\n", 1).withStartupTimeout(Duration.ofMinutes(3)));
  }

  private static void append(Path file, String text) {
    try {
      Files.writeString(file, text, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (java.io.IOException e) {
      // a lost log line must not fail a test
    }
  }

  /** The started containers; closing stops them all. */
  record Running(String masterUrl, List<GenericContainer<?>> containers)
      implements ExtensionContext.Store.CloseableResource {
    /**
     * A session on this cluster. Every executor has the address 127.0.0.1, so Spark would take
     * them for one host and read each other's shuffle files from local disk, which each
     * container keeps to itself: shuffle blocks must go through the network.
     */
    SparkSession session(String appName) {
      return ClusterJobs.cluster(masterUrl, appName, Map.of("spark.shuffle.readHostLocalDisk", "false"));
    }

    @Override
    public void close() {
      synchronized (ContainerCluster.class) {
        running = null;
      }
      for (int i = containers.size() - 1; i >= 0; i--) {
        containers.get(i).stop();
      }
    }
  }
}
