package io.lazyq.notebook;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

/**
 * The notebooks' Jupyter kernel: Java through JShell, with Spark, Arrow and LazyQ on the
 * classpath. The Jupyter protocol comes from jjava-jupyter; cells run in this JVM (see
 * {@link JShellEvaluator}), so a cell's {@code SparkSession} lives as long as the kernel.
 *
 * <p>Usage: {@code java @kernel.args io.lazyq.notebook.LazyQKernel CONNECTION_FILE}, as the
 * generated {@code kernel.json} says.
 */
public final class LazyQKernel extends BaseKernel {
  private final JShellEvaluator evaluator;

  private LazyQKernel(JShellEvaluator evaluator) {
    super("lazyq-java", version(), new LanguageInfo.Builder("java")
            .version(Runtime.version().toString()).mimetype("text/x-java-source").fileExtension(".jshell")
            .pygments("java").codemirror("text/x-java").build(),
        List.of(), null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(), null, null,
        false, new StringStyler.Builder().build());
    this.evaluator = evaluator;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: LazyQKernel CONNECTION_FILE");
      System.exit(2);
    }
    var properties = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
    JupyterConnection connection = new JupyterConnection(properties);
    LazyQKernel kernel = new LazyQKernel(new JShellEvaluator(System.getProperty("java.class.path")));
    kernel.onStartup();
    kernel.becomeHandlerForConnection(connection);
    connection.connect();
    connection.waitUntilClose();
    kernel.evaluator.close();
    // Spark's and ZeroMQ's non-daemon threads would otherwise keep the process alive.
    System.exit(0);
  }

  @Override
  public Object evalRaw(String source) {
    String value = evaluator.eval(source);
    return value == null ? null : new DisplayData(value);
  }

  @Override
  public DisplayData eval(String expr) {
    return (DisplayData) evalRaw(expr);
  }

  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    return null;
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    int[] anchor = new int[1];
    List<String> options = evaluator.complete(code, at, anchor);
    return new ReplacementOptions(options, anchor[0], at);
  }

  @Override
  public String isComplete(String code) {
    Completeness c = evaluator.completeness(code);
    if (c == Completeness.DEFINITELY_INCOMPLETE || c == Completeness.CONSIDERED_INCOMPLETE) {
      return "    ";
    }
    return c.isComplete() ? IS_COMPLETE_YES : IS_COMPLETE_MAYBE;
  }

  @Override
  public void interrupt() {
    evaluator.stop();
  }

  /** The message, then the cause's stack trace without the kernel's own frames. */
  @Override
  public List<String> formatError(Throwable e) {
    List<String> lines = new ArrayList<>(List.of(String.valueOf(e.getMessage()).split("\n")));
    if (e.getCause() != null) {
      StringWriter trace = new StringWriter();
      e.getCause().printStackTrace(new PrintWriter(trace));
      for (String line : trace.toString().split("\n")) {
        if (!line.contains("jdk.jshell.") && !line.contains("io.lazyq.notebook.") && !line.contains("java.base/jdk.internal.reflect")) {
          lines.add(line);
        }
      }
    }
    return lines;
  }

  private static String version() {
    String v = LazyQKernel.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }
}
