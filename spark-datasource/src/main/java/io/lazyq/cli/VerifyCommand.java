package io.lazyq.cli;

import io.lazyq.format.LzqCheck;
import io.lazyq.format.LzqCheck.Damage;
import io.lazyq.format.LzqCheck.Report;
import io.lazyq.spark.TableCheck;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lazyq verify}: checks every checksum and structure of a file, or of a table directory and
 * each of its files, and prints every damage it finds ({@link LzqCheck}, {@link TableCheck}).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Check a .lzq file, or a table directory, whole: every frame header and payload checksum in file"
        + " order, then every column chunk's checksum and structure through the footer; for a directory, its log (or"
        + " manifest) and each file of its latest version. Prints each damage (file, chunk, column, offset) and exits 3, or what was checked"
        + " and exits 0. A damaged checkpoint of the log is reported too, though readers pass it over.")
public final class VerifyCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE|DIR", description = "A .lzq file, or a table directory.")
  Path input;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.exists(input)) {
      throw new NoSuchFileException(input.toString());
    }
    List<Damage> damages;
    List<Report> reports;
    if (Files.isDirectory(input)) {
      TableCheck table = TableCheck.check(input);
      damages = table.allDamages();
      reports = table.files();
      if (!table.manifest()) {
        out.println(input + ": no log or manifest; checking every file a reader would read");
      }
    } else {
      Report report = LzqCheck.check(input);
      damages = report.damages();
      reports = List.of(report);
    }
    // Damage first, so that the first line of the output names it.
    damages.forEach(out::println);
    reports.forEach(r -> out.println(r.summary()));
    if (Files.isDirectory(input)) {
      out.printf("%s: %s: %d files%n", input, damages.isEmpty() ? "intact" : damages.size() + " damages",
          reports.size());
    }
    out.flush();
    return damages.isEmpty() ? LazyQ.OK : LazyQ.BAD_INPUT;
  }
}
