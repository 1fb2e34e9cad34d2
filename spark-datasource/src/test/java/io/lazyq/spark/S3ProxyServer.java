package io.lazyq.spark;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * s3proxy over a directory, on 127.0.0.1, in a JVM of its own (its Jetty needs another Servlet
 * API than Spark's). Writes its port to a file once it serves, and the number of object reads
 * (GETs) it has served to another after each one: the server's count of requests.
 *
 * <p>Arguments: base directory, port file, GET-count file, access key, secret key.
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
    AtomicLong gets = new AtomicLong();
    BlobStore counting = (BlobStore) Proxy.newProxyInstance(BlobStore.class.getClassLoader(),
        new Class<?>[] {BlobStore.class}, (proxy, method, a) -> {
          try {
            return method.invoke(store, a);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          } finally {
            if (method.getName().equals("getBlob")) {
              synchronized (gets) {
                Files.writeString(getsFile, Long.toString(gets.incrementAndGet()));
              }
            }
          }
        });
    S3Proxy s3 = S3Proxy.builder().blobStore(counting).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, args[3], args[4]).build();
    s3.start();
    while (!"STARTED".equals(s3.getState())) {
      Thread.sleep(10);
    }
    Files.writeString(getsFile, "0");
    Path tmp = Files.createTempFile(portFile.getParent(), "port", ".tmp");
    Files.writeString(tmp, Integer.toString(s3.getPort()));
    Files.move(tmp, portFile);
  }
}
