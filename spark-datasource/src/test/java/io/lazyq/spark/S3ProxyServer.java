package io.lazyq.spark;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.Blob;
import org.gaul.s3proxy.blobstore.options.GetOptions;

/**
 * s3proxy over a directory, on 127.0.0.1, in a JVM of its own (its Jetty needs another Servlet
 * API than Spark's). Writes its port to a file once it serves, and the number of object reads
 * (GETs) it has served to another after each one, and the bytes they served to a third: the
 * server's count of requests and bytes. A delay before each GET, read from a file that the
 * tests may change at any time, stands in for the latency of a real object store.
 *
 * <p>Arguments: base directory, port file, GET-count file, access key, secret key, byte-count
 * file, delay file (milliseconds; absent is none).
 */
public final class S3ProxyServer {
  private S3ProxyServer() {}

  public static void main(String[] args) throws Exception {
    Path base = Path.of(args[0]);
    Path portFile = Path.of(args[1]);
    Path getsFile = Path.of(args[2]);
    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", base.toString());
    props.setProperty("jclouds.identity", args[3]);
    props.setProperty("jclouds.credential", args[4]);
    BlobStore store = BlobStores.create("filesystem-nio2", props);
    Path bytesFile = Path.of(args[5]);
    Path delayFile = Path.of(args[6]);
    AtomicLong gets = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    // A forwarding store, which s3proxy sees through: it honours If-None-Match only for backends it knows.
    BlobStore counting = new ForwardingBlobStore(store) {
      @Override
      public Blob getBlob(String container, String name, GetOptions options) {
        Blob blob = null;
        try {
          long delayMillis = Files.exists(delayFile) ? Long.parseLong(Files.readString(delayFile).trim()) : 0;
          if (delayMillis > 0) {
            Thread.sleep(delayMillis);
          }
          blob = super.getBlob(container, name, options);
          return blob;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        } finally {
          synchronized (gets) {
            try {
              Files.writeString(bytesFile, Long.toString(bytes.addAndGet(served(blob))));
              Files.writeString(getsFile, Long.toString(gets.incrementAndGet()));
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        }
      }
    };
    S3Proxy s3 = S3Proxy.builder().blobStore(counting).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, args[3], args[4]).build();
    s3.start();
    while (!"STARTED".equals(s3.getState())) {
      Thread.sleep(10);
    }
    Files.writeString(bytesFile, "0");
    Files.writeString(getsFile, "0");
    Path tmp = Files.createTempFile(portFile.getParent(), "port", ".tmp");
    Files.writeString(tmp, Integer.toString(s3.getPort()));
    Files.move(tmp, portFile);
  }

  /** The bytes a GET sends: its range's ({@code bytes a-b/size}), or the whole object's. */
  private static long served(Blob blob) {
    if (blob == null) {
      return 0;
    }
    String range = blob.getContentRange();
    if (range != null && range.startsWith("bytes ") && range.contains("-") && range.contains("/")) {
      String[] ends = range.substring(6, range.indexOf('/')).split("-");
      return Long.parseLong(ends[1].trim()) - Long.parseLong(ends[0].trim()) + 1;
    }
    Long size = blob.getMetadata().size();
    return size == null ? 0 : size;
  }
}
