package io.lazyq.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Parsed values of {@link LazyQOption}s, by name: what a read or write configuration carries from
 * the driver to the executors. Immutable.
 */
final class OptionValues implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<String, Object> values;

  OptionValues(Map<String, Object> values) {
    this.values = Map.copyOf(values);
  }

  boolean has(LazyQOption<?> option) {
    return values.containsKey(option.name());
  }

  /**
   * The option's value.
   *
   * @throws IllegalStateException if these values were resolved without the option
   */
  <T> T get(LazyQOption<T> option) {
    Object value = values.get(option.name());
    if (value == null) {
      throw new IllegalStateException("lazyq option " + option + " is not among " + values.keySet());
    }
    return option.cast(value);
  }

  /** These values with {@code over}'s laid over them. */
  OptionValues with(OptionValues over) {
    if (over.values.isEmpty()) {
      return this;
    }
    Map<String, Object> m = new HashMap<>(values);
    m.putAll(over.values);
    return new OptionValues(m);
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
