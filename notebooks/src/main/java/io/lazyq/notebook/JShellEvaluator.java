package io.lazyq.notebook;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.VarSnippet;
import jdk.jshell.execution.LocalExecutionControlProvider;

/**
 * Runs notebook cells with the JDK's JShell, in this JVM. Local execution (rather than JShell's
 * default of a second JVM) means that cells see the kernel's classpath and JVM options, Spark's
 * {@code --add-opens} included, and can reach the kernel to display images.
 */
final class JShellEvaluator implements AutoCloseable {
  /** The imports of the {@code jshell} tool's default startup, which the JShell API leaves out. */
  private static final List<String> DEFAULT_IMPORTS = List.of("java.io.*", "java.math.*", "java.net.*",
      "java.nio.file.*", "java.util.*", "java.util.concurrent.*", "java.util.function.*", "java.util.prefs.*",
      "java.util.regex.*", "java.util.stream.*");

  private final JShell shell;

  JShellEvaluator(String classpath) {
    this.shell = JShell.builder()
        .executionEngine(new LocalExecutionControlProvider(), Map.of())
        .compilerOptions("--class-path", classpath)
        .build();
    for (String pkg : DEFAULT_IMPORTS) {
      eval("import " + pkg + ";");
    }
  }

  /**
   * Evaluates a cell, one snippet after another, stopping at the first that fails.
   *
   * @return the value of the cell's last snippet if it is an expression, else {@code null}
   * @throws CellException for a compile error or an exception thrown by the cell's code
   */
  String eval(String cell) {
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String remaining = cell;
    String value = null;
    while (!remaining.isBlank()) {
      CompletionInfo info = analysis.analyzeCompletion(remaining);
      if (info.completeness() == Completeness.EMPTY) {
        break; // comments only
      }
      if (info.completeness() == Completeness.DEFINITELY_INCOMPLETE
          || info.completeness() == Completeness.CONSIDERED_INCOMPLETE) {
        throw new CellException("incomplete code: " + remaining.strip(), null);
      }
      value = evalSnippet(info.source());
      remaining = info.remaining();
    }
    return value;
  }

  private String evalSnippet(String source) {
    String value = null;
    for (SnippetEvent event : shell.eval(source)) {
      if (event.causeSnippet() != null) {
        continue; // a dependent snippet updated by this one
      }
      Snippet snippet = event.snippet();
      if (event.status() == Snippet.Status.REJECTED || event.status() == Snippet.Status.RECOVERABLE_DEFINED
          || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
        throw new CellException("compile error: " + diagnostics(snippet), null);
      }
      JShellException thrown = event.exception();
      if (thrown != null) {
        String name = thrown instanceof EvalException ee ? ee.getExceptionClassName() : thrown.getClass().getSimpleName();
        throw new CellException(name + ": " + thrown.getMessage(), thrown);
      }
      value = shownValue(snippet) ? event.value() : null;
    }
    return value;
  }

  /**
   * Whether a snippet's value is the cell's result: an expression, unless it is the
   * {@code PrintStream} that {@code System.out.printf} returns, which is noise after the printing.
   */
  private static boolean shownValue(Snippet snippet) {
    String type;
    if (snippet instanceof ExpressionSnippet e) {
      type = e.typeName();
    } else if (snippet instanceof VarSnippet v && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
      type = v.typeName();
    } else {
      return false;
    }
    return !type.equals("java.io.PrintStream") && !type.equals("PrintStream");
  }

  private String diagnostics(Snippet snippet) {
    List<Diag> diags = shell.diagnostics(snippet).collect(Collectors.toList());
    if (diags.isEmpty()) {
      return "cannot compile: " + snippet.source().strip()
          + shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) snippet).collect(Collectors.joining(", ", " (unresolved: ", ")"));
    }
    StringBuilder out = new StringBuilder();
    for (Diag d : diags) {
      String source = snippet.source();
      int start = (int) Math.max(0, d.getStartPosition());
      int lineStart = source.lastIndexOf('\n', Math.max(0, start - 1)) + 1;
      int lineEnd = source.indexOf('\n', start);
      out.append(d.getMessage(Locale.ROOT)).append('\n')
          .append(source, lineStart, lineEnd < 0 ? source.length() : lineEnd).append('\n');
    }
    return out.toString().strip();
  }

  /** Completions at {@code cursor}, for the notebook's tab key. */
  List<String> complete(String code, int cursor, int[] anchor) {
    return shell.sourceCodeAnalysis().completionSuggestions(code, cursor, anchor).stream()
        .map(SourceCodeAnalysis.Suggestion::continuation).distinct().collect(Collectors.toList());
  }

  /** JShell's view of whether {@code code} is a complete statement. */
  Completeness completeness(String code) {
    return shell.sourceCodeAnalysis().analyzeCompletion(code).completeness();
  }

  /** Stops the running cell (Jupyter's interrupt). */
  void stop() {
    shell.stop();
  }

  @Override
  public void close() {
    shell.close();
  }

  /** A cell that did not compile, or threw: the message names the cause, the cause has its stack trace. */
  static final class CellException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CellException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
