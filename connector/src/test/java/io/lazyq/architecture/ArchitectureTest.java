package io.lazyq.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rooms of the code base, read from the sources of every module: what each module may depend
 * on, a stated role for every package, and no cycles between packages.
 */
class ArchitectureTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> MODULES = List.of("connector", "arrow-bridge", "spark-datasource", "notebooks");
  /** What only the command line, or only what runs Spark, may use. */
  private static final List<String> COMMAND_LINE = List.of("picocli.", "me.tongfei.progressbar.", "org.knowm.xchart.",
      "com.univocity.");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)(?:\\.\\*)?;", Pattern.MULTILINE);
  private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.lazyq(?:\\.[a-z]\\w*)*)\\.[A-Z]");
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

  @Test
  void theFormatLibraryNeedsNoArrowSparkOrCommandLine() {
    List<String> banned = new ArrayList<>(List.of("org.apache.arrow.", "org.apache.spark.", "scala."));
    banned.addAll(COMMAND_LINE);
    assertEquals(List.of(), uses(sources("connector"), banned));
  }

  @Test
  void theArrowBridgeNeedsNoSparkOrCommandLine() {
    List<String> banned = new ArrayList<>(List.of("org.apache.spark.", "scala."));
    banned.addAll(COMMAND_LINE);
    assertEquals(List.of(), uses(sources("arrow-bridge"), banned));
  }

  @Test
  void onlyTheCommandLineParsesCommandLines() {
    List<Path> outside = new ArrayList<>();
    for (String module : MODULES) {
      for (Path p : sources(module)) {
        if (!packageOf(p).equals("io.lazyq.cli")) {
          outside.add(p);
        }
      }
    }
    assertEquals(List.of(), uses(outside, List.of("picocli.")));
  }

  @Test
  void everyPackageSaysWhatItIsFor() {
    Set<String> missing = new TreeSet<>();
    for (String module : MODULES) {
      for (Path p : sources(module)) {
        if (!Files.exists(p.resolveSibling("package-info.java"))) {
          missing.add(module + ": " + packageOf(p));
        }
      }
    }
    assertEquals(Set.of(), missing);
  }

  @Test
  void namesSayWhatThingsAre() {
    List<String> vague = new ArrayList<>();
    for (String module : MODULES) {
      for (Path p : sources(module)) {
        String name = p.getFileName().toString();
        if (packageOf(p).matches(".*\\.(util|utils|common|misc)$") || name.matches(".*(Manager|Helper|Util|Utils)\\.java")) {
          vague.add(module + ": " + packageOf(p) + "." + name);
        }
      }
    }
    assertEquals(List.of(), vague);
  }

  @Test
  void packagesFormNoCycle() {
    Map<String, Set<String>> edges = new TreeMap<>();
    for (String module : MODULES) {
      for (Path p : sources(module)) {
        String from = packageOf(p);
        Set<String> to = edges.computeIfAbsent(from, k -> new TreeSet<>());
        Matcher m = REFERENCE.matcher(read(p));
        while (m.find()) {
          if (!m.group(1).equals(from)) {
            to.add(m.group(1));
          }
        }
      }
    }
    List<String> cycles = new ArrayList<>();
    for (String start : edges.keySet()) {
      for (String next : edges.get(start)) {
        if (reaches(edges, next, start, new HashSet<>())) {
          cycles.add(start + " -> " + next + " -> ... -> " + start);
        }
      }
    }
    assertEquals(List.of(), cycles);
    assertTrue(edges.size() >= 10, "the scan found the packages: " + edges.keySet());
  }

  private static boolean reaches(Map<String, Set<String>> edges, String from, String target, Set<String> seen) {
    if (from.equals(target)) {
      return true;
    }
    if (!seen.add(from)) {
      return false;
    }
    for (String next : edges.getOrDefault(from, Set.of())) {
      if (reaches(edges, next, target, seen)) {
        return true;
      }
    }
    return false;
  }

  /** Each file's imports that start with one of {@code prefixes}, as "file: import". */
  private static List<String> uses(List<Path> files, List<String> prefixes) {
    List<String> found = new ArrayList<>();
    for (Path p : files) {
      Matcher m = IMPORT.matcher(read(p));
      while (m.find()) {
        for (String prefix : prefixes) {
          if (m.group(1).startsWith(prefix)) {
            found.add(ROOT.relativize(p) + ": " + m.group(1));
          }
        }
      }
    }
    return found;
  }

  private static List<Path> sources(String module) {
    Path dir = ROOT.resolve(module).resolve("src/main/java");
    assertTrue(Files.isDirectory(dir), dir + " exists");
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String packageOf(Path file) {
    Matcher m = PACKAGE.matcher(read(file));
    assertTrue(m.find(), file + " declares its package");
    return m.group(1);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
