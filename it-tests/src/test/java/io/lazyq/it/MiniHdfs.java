package io.lazyq.it;

import java.io.IOException;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS in this JVM: a NameNode and one DataNode of {@link MiniDFSCluster} on 127.0.0.1,
 * started on first use and stopped when the JVM ends. Other JVMs reach it by its URI alone.
 */
final class MiniHdfs {
  private static MiniDFSCluster cluster;

  private MiniHdfs() {}

  /** The cluster's root URI, {@code hdfs://127.0.0.1:PORT}. */
  static synchronized String uri() throws IOException {
    if (cluster == null) {
      Configuration conf = new Configuration();
      conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, Files.createTempDirectory("lazyq-hdfs").toString());
      for (String key : new String[] {"dfs.namenode.rpc-address", "dfs.namenode.http-address",
          "dfs.datanode.address", "dfs.datanode.http.address", "dfs.datanode.ipc.address"}) {
        conf.set(key, "127.0.0.1:0");
      }
      cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
      cluster.waitActive();
      MiniDFSCluster started = cluster;
      Runtime.getRuntime().addShutdownHook(new Thread(started::shutdown));
    }
    return cluster.getURI().toString();
  }
}
