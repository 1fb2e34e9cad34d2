package io.lazyq.spark;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The {@code lazyq} data source: {@code spark.read.format("lazyq").load(path)}, or
 * {@code CREATE TABLE t USING lazyq LOCATION 'path'}. A path is a file, a directory or a glob; the
 * schema comes from the files' headers and footers alone. GGUF and Safetensors files, told apart
 * by their first bytes, read as tables of tensors, tensor rows or metadata. Options:
 * {@link LazyQReadConf}.
 */
public final class LazyQSource implements TableProvider, DataSourceRegister {
  /** Spark asks for the schema and then the table with the same options: resolve the files once. */
  private Map<String, String> resolvedFor;
  private LazyQReadConf conf;
  private List<DataFile> files;
  private List<Path> tensorFiles;
  private StructType schema;

  @Override
  public String shortName() {
    return "lazyq";
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    resolve(options.asCaseSensitiveMap());
    return schema;
  }

  @Override
  public Table getTable(StructType ignored, Transform[] partitioning, Map<String, String> properties) {
    resolve(properties);
    return tensorFiles != null ? new TensorTable(tensorFiles, conf) : new LazyQTable(files, conf, schema);
  }

  private synchronized void resolve(Map<String, String> options) {
    if (options.equals(resolvedFor)) {
      return;
    }
    conf = LazyQReadConf.parse(options);
    List<Path> paths = TableFiles.list(conf.paths(), SparkSession.active().sessionState().newHadoopConf());
    if (TableFiles.isLazyQ(paths.get(0))) {
      files = TableFiles.read(paths);
      tensorFiles = null;
      schema = SparkSchemas.toSpark(files.get(0).metadata().schema(), conf);
    } else {
      files = null;
      tensorFiles = paths;
      schema = TensorSchemas.of(conf.view());
    }
    resolvedFor = Map.copyOf(options);
  }
}
