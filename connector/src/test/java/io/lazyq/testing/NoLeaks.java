package io.lazyq.testing;

import io.lazyq.storage.MappingStats;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Fails a test that leaves a LazyQ mapping open, or memory outstanding in a resource it tracked
 * through its {@link Ledger} parameter (an Arrow allocator, say):
 *
 * <pre>{@code
 * @ExtendWith(NoLeaks.class)
 * class ReaderTest {
 *   @Test
 *   void reads(NoLeaks.Ledger leaks) {
 *     BufferAllocator allocator = leaks.track(new RootAllocator(), BufferAllocator::getAllocatedMemory);
 *     ...
 *   }
 * }
 * }</pre>
 *
 * The ledger closes what it tracks after the test. Nothing here knows Arrow: any module's tests can
 * track their own resources the same way.
 */
public final class NoLeaks implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoLeaks.class);

  /** Resources a test tracks, each with what it still holds. */
  public static final class Ledger {
    private final List<Tracked<?>> tracked = new ArrayList<>();

    /** Tracks {@code resource}: after the test, {@code outstanding} must read 0; then it is closed. */
    public synchronized <T extends AutoCloseable> T track(T resource, ToLongFunction<? super T> outstanding) {
      tracked.add(new Tracked<>(resource, outstanding));
      return resource;
    }

    /** What each resource still holds, then closes them all. */
    synchronized List<String> settle() {
      List<String> leaks = new ArrayList<>();
      for (Tracked<?> t : tracked) {
        long left = t.outstanding();
        if (left != 0) {
          leaks.add(left + " bytes outstanding in " + t.resource);
        }
        try {
          t.resource.close();
        } catch (Exception e) {
          if (left == 0) {
            leaks.add("closing " + t.resource + " failed: " + e);
          }
        }
      }
      tracked.clear();
      return leaks;
    }
  }

  private record Tracked<T extends AutoCloseable>(T resource, ToLongFunction<? super T> measure) {
    long outstanding() {
      return measure.applyAsLong(resource);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NS).put("mappings", MappingStats.processLiveMappings());
    context.getStore(NS).put("bytes", MappingStats.processLiveBytes());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> leaks = new ArrayList<>();
    Ledger ledger = context.getStore(NS).get("ledger", Ledger.class);
    if (ledger != null) {
      leaks.addAll(ledger.settle());
    }
    long mappings = MappingStats.processLiveMappings() - context.getStore(NS).get("mappings", Long.class);
    long bytes = MappingStats.processLiveBytes() - context.getStore(NS).get("bytes", Long.class);
    if (mappings != 0) {
      leaks.add(mappings + " LazyQ mappings (" + bytes + " bytes) left open");
    }
    if (!leaks.isEmpty()) {
      throw new AssertionError(context.getDisplayName() + " leaked: " + String.join("; ", leaks));
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Ledger.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(NS).getOrComputeIfAbsent("ledger", k -> new Ledger(), Ledger.class);
  }
}
