package io.lazyq.spark;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/** The process-wide Arrow root allocator, from which each task takes one child. */
final class TaskAllocators {
  private static volatile RootAllocator root;

  private TaskAllocators() {}

  static BufferAllocator root() {
    RootAllocator r = root;
    if (r == null) {
      synchronized (TaskAllocators.class) {
        if (root == null) {
          root = new RootAllocator(Long.MAX_VALUE);
        }
        r = root;
      }
    }
    return r;
  }

  static BufferAllocator newTaskAllocator(String name) {
    return root().newChildAllocator(name, 0, Long.MAX_VALUE);
  }
}
