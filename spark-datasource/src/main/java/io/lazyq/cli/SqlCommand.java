package io.lazyq.cli;

import io.lazyq.spark.ScanMetrics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code lazyq sql "QUERY" --table NAME=PATH}: a Spark SQL query over lazyq tables, on local[*]. */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Runs a Spark SQL query on local[*] over lazyq tables and prints the result.")
public final class SqlCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "QUERY", description = "The query, in Spark SQL.")
  String query;

  @Option(names = "--table", paramLabel = "NAME=PATH",
      description = "Registers a lazyq file, directory or glob as a temporary view; repeatable.")
  List<String> tables = new ArrayList<>();

  @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
      description = "table, csv or jsonl (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--metrics", description = "Prints the scans' metrics as name=value lines on stderr.")
  boolean metrics;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    ResultFormat output;
    try {
      output = ResultFormat.parse(format);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--format must be table, csv or jsonl, not '" + format + "'");
    }
    SparkSession spark = LocalSpark.start("lazyq sql");
    for (String t : tables) {
      int eq = t.indexOf('=');
      if (eq <= 0 || eq == t.length() - 1) {
        throw new IllegalArgumentException("--table needs NAME=PATH, not '" + t + "'");
      }
      spark.read().format("lazyq").load(t.substring(eq + 1)).createOrReplaceTempView(t.substring(0, eq));
    }
    long start = System.nanoTime();
    Dataset<Row> df = spark.sql(query);
    List<Row> rows = df.collectAsList();
    long millis = (System.nanoTime() - start) / 1_000_000;
    output.print(df.schema(), rows, spec.commandLine().getOut());
    if (metrics) {
      PrintWriter err = spec.commandLine().getErr();
      for (Map.Entry<String, Long> m : ScanMetrics.of(df).entrySet()) {
        err.println(m.getKey() + "=" + m.getValue());
      }
      err.println("rows=" + rows.size());
      err.println("millis=" + millis);
      err.flush();
    }
    return LazyQ.OK;
  }
}
