package io.lazyq.spark;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;

/**
 * Real storage servers for the tests, started once per JVM on 127.0.0.1 and stopped at its end:
 * HDFS (a NameNode and two DataNodes of {@link MiniDFSCluster}) and S3 ({@link S3ProxyServer} over
 * a directory, in a child JVM, reached through S3A with path-style access). The S3 server counts
 * the GET requests it serves, the server's side of the read-economy figures.
 */
public final class StorageServers {
  static final String BUCKET = "lazyq";
  private static final String ACCESS_KEY = "access";
  private static final String SECRET_KEY = "secret-key";

  private static MiniDFSCluster hdfs;
  private static Process s3;
  private static int s3Port;
  private static Path s3Gets;
  private static Path s3Bytes;
  private static Path s3Delay;

  private StorageServers() {}

  /** The root URI of a scratch directory on {@code kind} ("local", "hdfs" or "s3a"), and the settings to reach it. */
  public static synchronized Target target(String kind, Path localDir) throws Exception {
    return switch (kind) {
      case "local" -> new Target(kind, localDir.toString(), Map.of());
      case "hdfs" -> new Target(kind, hdfs().getURI() + "/t" + System.nanoTime(), Map.of());
      case "s3a" -> new Target(kind, "s3a://" + BUCKET + "/t" + System.nanoTime(), s3Settings());
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /**
   * The scratch directory on {@code kind}, with its settings put into the session, as
   * {@code spark.hadoop.*} would put them; a NameNode that is not there is not asked again and again.
   */
  public static Target reach(String kind, Path localDir, SparkSession spark) throws Exception {
    Target t = target(kind, localDir);
    t.hadoop().forEach((k, v) -> spark.conf().set(k, v));
    spark.conf().set("ipc.client.connect.max.retries", "0");
    return t;
  }

  /** A local directory's files copied to a directory of the same name on the target; the local one itself for "local". */
  public static String copyOf(Path localDir, Target t) throws IOException {
    if (t.kind().equals("local")) {
      return localDir.toString();
    }
    String to = t.path(localDir.getFileName().toString());
    FileSystem fs = fileSystem(t);
    try (var files = Files.list(localDir)) {
      for (Path f : files.sorted().toList()) {
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(f.toUri()), new org.apache.hadoop.fs.Path(to, f.getFileName().toString()));
      }
    }
    return to;
  }

  /** What the S3 server has served: GET requests and their bytes; the difference of two is what happened between. */
  public record Served(long gets, long bytes) {
    public static Served now() throws IOException {
      return new Served(s3Gets(), s3BytesServed());
    }

    public Served minus(Served o) {
      return new Served(gets - o.gets, bytes - o.bytes);
    }

    @Override
    public String toString() {
      return gets + " GETs, " + String.format("%,d", bytes) + " bytes";
    }
  }

  /** GET requests the S3 server has served. */
  public static long s3Gets() throws IOException {
    return Long.parseLong(Files.readString(s3Gets).trim());
  }

  /** Makes the S3 server wait this long before each GET from now on, as a distant store would. */
  public static void s3Delay(long millis) throws IOException {
    Files.writeString(s3Delay, Long.toString(millis));
  }

  /** Bytes those GETs served, by the ranges the server answered. */
  public static long s3BytesServed() throws IOException {
    return Long.parseLong(Files.readString(s3Bytes).trim());
  }

  /** Where the tests write, and the {@code spark.hadoop.*}-less Hadoop settings a client needs for it. */
  public record Target(String kind, String root, Map<String, String> hadoop) {
    public String path(String name) {
      return root + "/" + name;
    }

    public Configuration conf() {
      Configuration c = new Configuration();
      hadoop.forEach(c::set);
      return c;
    }

    @Override
    public String toString() {
      return kind;
    }
  }

  private static MiniDFSCluster hdfs() throws IOException {
    if (hdfs == null) {
      Path base = Files.createTempDirectory("lazyq-hdfs");
      Configuration conf = new Configuration();
      conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
      conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
      conf.set("dfs.datanode.address", "127.0.0.1:0");
      conf.set("dfs.datanode.http.address", "127.0.0.1:0");
      conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
      conf.set("dfs.namenode.http-address", "127.0.0.1:0");
      hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(2).build();
      hdfs.waitActive();
      Runtime.getRuntime().addShutdownHook(new Thread(hdfs::shutdown));
    }
    return hdfs;
  }

  private static Map<String, String> s3Settings() throws Exception {
    if (s3 == null) {
      Path base = Files.createTempDirectory("lazyq-s3");
      Files.createDirectories(base.resolve("data").resolve(BUCKET));
      Path port = base.resolve("port");
      s3Gets = base.resolve("gets");
      s3Bytes = base.resolve("bytes");
      s3Delay = base.resolve("delay");
      String servlet6 = Path.of("target", "s3proxy-lib", "jakarta.servlet-api-6.0.0.jar").toAbsolutePath().toString();
      List<String> classpath = new ArrayList<>(List.of(servlet6));
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        if (!entry.contains("jakarta.servlet-api")) {
          classpath.add(entry);
        }
      }
      s3 = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-cp", String.join(File.pathSeparator, classpath), S3ProxyServer.class.getName(),
          base.resolve("data").toString(), port.toString(), s3Gets.toString(), ACCESS_KEY, SECRET_KEY,
          s3Bytes.toString(), s3Delay.toString())
          .redirectErrorStream(true).redirectOutput(base.resolve("s3proxy.log").toFile()).start();
      Process started = s3;
      Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!Files.exists(port)) {
        if (!started.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("s3proxy did not start: " + Files.readString(base.resolve("s3proxy.log")));
        }
        Thread.sleep(50);
      }
      s3Port = Integer.parseInt(Files.readString(port).trim());
    }
    return Map.of(
        "fs.s3a.endpoint", "http://127.0.0.1:" + s3Port,
        "fs.s3a.endpoint.region", "us-east-1",
        "fs.s3a.path.style.access", "true",
        "fs.s3a.connection.ssl.enabled", "false",
        "fs.s3a.access.key", ACCESS_KEY,
        "fs.s3a.secret.key", SECRET_KEY,
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
        "fs.s3a.attempts.maximum", "2",
        "fs.s3a.retry.limit", "2");
  }

  /** Every storage kind the tests run on. */
  /**
   * The file systems that parameterised tests run on: all three, or those that the system property
   * {@code lazyq.test.storage} lists (a Spark version module runs without S3A, which its Hadoop
   * would need a matching hadoop-aws for).
   */
  public static List<String> kinds() {
    return List.of(System.getProperty("lazyq.test.storage", "local,hdfs,s3a").split(","));
  }

  public static FileSystem fileSystem(Target t) throws IOException {
    return new org.apache.hadoop.fs.Path(t.root()).getFileSystem(t.conf());
  }
}
