package io.lazyq.cli;

import io.lazyq.spark.ScanMetrics;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.execution.FileSourceScanExec;

/**
 * Bytes that a query's Parquet scans had to read: the stored (compressed) size of the selected
 * columns' chunks, from the files' footers, for every scan in the plan. Spark's task input metrics
 * cannot give this: with Spark 4.1's vectorized reader they count little more than the footers.
 */
final class ParquetBytes {
  private final Configuration conf;
  private final Map<String, List<BlockMetaData>> footers = new HashMap<>();

  ParquetBytes(Configuration conf) {
    this.conf = conf;
  }

  long of(Dataset<?> executed) throws IOException {
    long total = 0;
    for (FileSourceScanExec scan : ScanMetrics.nodes(executed, FileSourceScanExec.class)) {
      Set<String> columns = Set.of(scan.requiredSchema().fieldNames());
      for (String file : scan.relation().location().inputFiles()) {
        for (BlockMetaData block : blocks(file)) {
          for (ColumnChunkMetaData c : block.getColumns()) {
            if (columns.contains(c.getPath().toDotString())) {
              total += c.getTotalSize();
            }
          }
        }
      }
    }
    return total;
  }

  private List<BlockMetaData> blocks(String file) throws IOException {
    List<BlockMetaData> b = footers.get(file);
    if (b == null) {
      try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file), conf))) {
        b = r.getFooter().getBlocks();
      }
      footers.put(file, b);
    }
    return b;
  }
}
