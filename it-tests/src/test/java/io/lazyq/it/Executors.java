package io.lazyq.it;

import java.util.List;
import java.util.OptionalLong;

/**
 * The executor JVMs of one application, found by their command line, wherever a worker started
 * them (a child of a worker process, or a process in a container: both are visible here).
 */
final class Executors {
  private Executors() {}

  static List<ProcessHandle> of(String appId) {
    return ProcessHandle.allProcesses().filter(h -> {
      String cmd = h.info().commandLine().orElse("");
      return cmd.contains("CoarseGrainedExecutorBackend") && cmd.contains(appId);
    }).toList();
  }

  /** The largest peak RSS (VmHWM) among the application's live executors. */
  static OptionalLong peakRss(String appId) {
    return of(appId).stream().map(h -> Reports.procStatus(h.pid(), "VmHWM")).filter(OptionalLong::isPresent)
        .mapToLong(OptionalLong::getAsLong).max();
  }
}
