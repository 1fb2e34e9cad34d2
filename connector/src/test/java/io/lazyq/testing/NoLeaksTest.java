package io.lazyq.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.ColumnView;
import io.lazyq.format.LzqFile;
import io.lazyq.format.SampleTables;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

/** The leak check passes a clean test, and fails one that leaves a mapping open or memory outstanding. */
@ExtendWith(NoLeaks.class)
class NoLeaksTest {
  @TempDir Path dir;

  private Path table() throws Exception {
    Path file = dir.resolve("t.lzq");
    SampleTables.write(file, SampleTables.allTypes(), SampleTables.allTypesRows(10, 1));
    return file;
  }

  @Test
  void aTestThatClosesWhatItOpensPasses(NoLeaks.Ledger leaks) throws Exception {
    AtomicLong held = leaks.track(new Counter(), c -> c.get());
    try (LzqFile f = LzqFile.open(table()); ColumnView v = f.column(0, 0)) {
      held.set(v.rows());
    }
    held.set(0);
  }

  @Test
  void anOpenMappingFails() throws Exception {
    NoLeaks check = new NoLeaks();
    ExtensionContext context = context();
    check.beforeEach(context);
    try (LzqFile f = LzqFile.open(table())) {
      ColumnView open = f.column(0, 0);
      AssertionError e = assertThrows(AssertionError.class, () -> check.afterEach(context));
      assertTrue(e.getMessage().contains("1 LazyQ mappings"), e.getMessage());
      open.close();
    }
    check.afterEach(context);
  }

  @Test
  void memoryLeftInATrackedResourceFails() {
    NoLeaks check = new NoLeaks();
    ExtensionContext context = context();
    check.beforeEach(context);
    NoLeaks.Ledger ledger = (NoLeaks.Ledger) check.resolveParameter(null, context);
    Counter counter = ledger.track(new Counter(), c -> c.get());
    counter.set(4096);
    AssertionError e = assertThrows(AssertionError.class, () -> check.afterEach(context));
    assertTrue(e.getMessage().contains("4096 bytes outstanding"), e.getMessage());
    assertEquals(1, counter.closed);
  }

  /** A resource whose count of bytes held a test sets. */
  private static final class Counter extends AtomicLong implements AutoCloseable {
    int closed;

    @Override
    public void close() {
      closed++;
    }
  }

  /** Just enough of an extension context for the check: a display name and one store. */
  @SuppressWarnings("unchecked")
  private static ExtensionContext context() {
    Map<Object, Object> values = new HashMap<>();
    ExtensionContext.Store store = (ExtensionContext.Store) Proxy.newProxyInstance(
        NoLeaksTest.class.getClassLoader(), new Class<?>[] {ExtensionContext.Store.class}, (p, m, a) -> {
          switch (m.getName()) {
            case "put": values.put(a[0], a[1]); return null;
            case "get": return values.get(a[0]);
            case "getOrComputeIfAbsent":
              return values.computeIfAbsent(a[0], k -> ((Function<Object, Object>) a[1]).apply(k));
            default: throw new UnsupportedOperationException(m.getName());
          }
        });
    return (ExtensionContext) Proxy.newProxyInstance(NoLeaksTest.class.getClassLoader(),
        new Class<?>[] {ExtensionContext.class}, (p, m, a) -> switch (m.getName()) {
          case "getStore" -> store;
          case "getDisplayName" -> "a test";
          default -> throw new UnsupportedOperationException(m.getName());
        });
  }
}
