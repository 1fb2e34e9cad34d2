package io.lazyq.quant;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * The choice between a family's scalar kernels and its Vector API ones ({@code jdk.incubator.vector}),
 * made the same way for every family: system property {@code lazyq.kernels} {@code auto} (the
 * default), {@code scalar}, or {@code vector}, which fails when the vector kernels cannot be used
 * instead of falling back. The vector class is compiled from a source root of its own and loaded by
 * name, only once the module is known to be readable: a JVM without the module never loads a class
 * that refers to it.
 */
public final class KernelChoice {
  private static final System.Logger LOG = System.getLogger(KernelChoice.class.getName());

  private KernelChoice() {}

  /** The name of a vector class, found once the module is known to be readable. */
  @FunctionalInterface
  public interface VectorClass {
    String name() throws ReflectiveOperationException;
  }

  /**
   * The kernels of family {@code what} for this JVM, logged once: {@code scalar}, or an instance of
   * {@code vectorClass} (a subclass of the scalar kernels' type with a no-argument constructor).
   */
  public static <T> T select(String what, Supplier<T> scalar, VectorClass vectorClass) {
    return select(what, scalar, vectorClass, (s, v) -> v);
  }

  /**
   * As {@link #select(String, Supplier, VectorClass)}, where under {@code auto} the kernels are
   * what {@code auto} makes of the scalar and the vector ones (the codecs' kernels: each vector
   * kernel run on the scalar path until it is compiled, {@link KernelWarming});
   * {@code lazyq.kernels=vector} takes the vector kernels themselves.
   */
  public static <T> T select(String what, Supplier<T> scalar, VectorClass vectorClass, BinaryOperator<T> auto) {
    String wanted = System.getProperty("lazyq.kernels", "auto").toLowerCase(Locale.ROOT);
    T chosen;
    String why = "";
    switch (wanted) {
      case "scalar":
        chosen = scalar.get();
        why = " (-Dlazyq.kernels=scalar)";
        break;
      case "vector":
        chosen = load(vectorClass);
        break;
      case "auto":
        try {
          T vector = load(vectorClass);
          chosen = auto.apply(scalar.get(), vector);
        } catch (UnsupportedOperationException e) {
          chosen = scalar.get();
          why = " (" + e.getMessage() + ")";
        }
        break;
      default:
        throw new IllegalArgumentException("lazyq.kernels must be auto, scalar or vector, not " + wanted);
    }
    LOG.log(Level.INFO, "LazyQ {0} kernels: {1}{2}", what, chosen, why);
    return chosen;
  }

  /** The vector kernels, if this JVM can run them well (the conditions of {@link #load}). */
  public static <T> Optional<T> vector(VectorClass vectorClass) {
    try {
      return Optional.of(load(vectorClass));
    } catch (UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /** @throws UnsupportedOperationException saying why the vector kernels are not used */
  @SuppressWarnings("unchecked")
  static <T> T load(VectorClass vectorClass) {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      throw new UnsupportedOperationException(
          "jdk.incubator.vector is not readable: start the JVM with --add-modules=jdk.incubator.vector");
    }
    // Without C2 the Vector API is interpreted or compiled by C1, and runs many times slower than scalar code.
    String vmInfo = System.getProperty("java.vm.info", "");
    if (vmInfo.contains("interpreted mode") || vmInfo.contains("emulated-client") || !c2Enabled()) {
      throw new UnsupportedOperationException("the C2 compiler is off");
    }
    try {
      // The kernels are package-private in their family's package.
      var constructor = Class.forName(vectorClass.name()).getDeclaredConstructor();
      constructor.setAccessible(true);
      return (T) constructor.newInstance();
    } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof UnsupportedOperationException) {
        throw (UnsupportedOperationException) cause;
      }
      throw new UnsupportedOperationException("the vector kernels did not load: " + cause, cause);
    }
  }

  /** False if HotSpot reports that compilation stops before C2 ({@code -XX:TieredStopAtLevel=1}). */
  private static boolean c2Enabled() {
    try {
      var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
      return hotspot == null || Integer.parseInt(hotspot.getVMOption("TieredStopAtLevel").getValue()) >= 4;
    } catch (LinkageError | RuntimeException e) {
      // Not HotSpot, or jdk.management left out of the runtime: assume a JIT that vectorises.
      return true;
    }
  }
}
