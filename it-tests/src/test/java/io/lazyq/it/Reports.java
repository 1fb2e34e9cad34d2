package io.lazyq.it;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory figures of a JVM, and the {@code key=value} lines through which a child JVM reports them
 * (and its results) to the test that started it.
 */
final class Reports {
  static final String PEAK_HEAP = "peak.heap.bytes";
  static final String VM_HWM = "vm.hwm.bytes";
  /** Anonymous resident memory (heap, metaspace, direct buffers) when reported: mapped files excluded. */
  static final String RSS_ANON = "rss.anon.bytes";
  private static final Pattern LINE = Pattern.compile("^([a-z][a-z0-9.]*)=(\\S*)$", Pattern.MULTILINE);
  private static final Pattern TIME_MAX_RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");

  private Reports() {}

  /** The sum of the peak usage of every heap pool since the JVM started. */
  static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** This process's peak resident set size (VmHWM), where {@code /proc} exists. */
  static OptionalLong vmHwmBytes() {
    return procStatus(ProcessHandle.current().pid(), "VmHWM");
  }

  /** A size field (in kB in the file) of {@code /proc/PID/status}, in bytes. */
  static OptionalLong procStatus(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field + ":")) {
          return OptionalLong.of(Long.parseLong(line.replaceAll("\\D", "")) * 1024);
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc (not Linux) or the process has gone: no figure
    }
    return OptionalLong.empty();
  }

  /** Prints this JVM's peak heap and peak RSS as report lines. */
  static void printMemory() {
    System.out.println(PEAK_HEAP + "=" + peakHeapBytes());
    vmHwmBytes().ifPresent(b -> System.out.println(VM_HWM + "=" + b));
    procStatus(ProcessHandle.current().pid(), "RssAnon").ifPresent(b -> System.out.println(RSS_ANON + "=" + b));
    System.out.flush();
  }

  /** The {@code key=value} lines of a child's output (the last value wins). */
  static Map<String, String> values(String output) {
    Map<String, String> values = new LinkedHashMap<>();
    Matcher m = LINE.matcher(output);
    while (m.find()) {
      values.put(m.group(1), m.group(2));
    }
    return values;
  }

  /** The peak RSS that {@code /usr/bin/time -v} printed, in bytes. */
  static OptionalLong timeMaxRss(String output) {
    Matcher m = TIME_MAX_RSS.matcher(output);
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * 1024) : OptionalLong.empty();
  }

  static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }
}
