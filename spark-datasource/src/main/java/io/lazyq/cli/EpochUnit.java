package io.lazyq.cli;

import java.util.Locale;

/** The unit of an integer epoch time in a CSV column, which the import turns into microseconds, the format's. */
enum EpochUnit {
  S, MS, US, NS;

  /** Parses {@code s}, {@code ms}, {@code us} or {@code ns}. */
  static EpochUnit parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown time unit '" + text + "'; valid: s, ms, us, ns");
    }
  }

  /**
   * {@code value} in this unit as microseconds; nanoseconds are rounded down to the format's precision.
   *
   * @throws ArithmeticException where the result would not fit a long
   */
  long toMicros(long value) {
    return switch (this) {
      case S -> Math.multiplyExact(value, 1_000_000L);
      case MS -> Math.multiplyExact(value, 1_000L);
      case US -> value;
      case NS -> Math.floorDiv(value, 1_000L);
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
