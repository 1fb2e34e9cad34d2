package io.lazyq.safetensors;

import io.lazyq.quant.QuantType;
import io.lazyq.tensor.ElementType;
import io.lazyq.tensor.PlainType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Safetensors dtype names and the element types they stand for. */
final class DTypes {
  private static final Map<String, ElementType> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("F32", ElementType.of(QuantType.F32));
    BY_NAME.put("F16", ElementType.of(QuantType.F16));
    BY_NAME.put("BF16", ElementType.of(QuantType.BF16));
    BY_NAME.put("F64", ElementType.of(PlainType.F64));
    BY_NAME.put("I8", ElementType.of(PlainType.I8));
    BY_NAME.put("U8", ElementType.of(PlainType.U8));
    BY_NAME.put("I16", ElementType.of(PlainType.I16));
    BY_NAME.put("I32", ElementType.of(PlainType.I32));
    BY_NAME.put("I64", ElementType.of(PlainType.I64));
    BY_NAME.put("BOOL", ElementType.of(PlainType.BOOL));
  }

  private DTypes() {}

  static Optional<ElementType> byName(String dtype) {
    return Optional.ofNullable(BY_NAME.get(dtype));
  }

  /** The dtype name of {@code type}, if Safetensors can hold it. */
  static Optional<String> nameOf(ElementType type) {
    return BY_NAME.entrySet().stream().filter(e -> e.getValue() == type).map(Map.Entry::getKey)
        .findFirst();
  }
}
