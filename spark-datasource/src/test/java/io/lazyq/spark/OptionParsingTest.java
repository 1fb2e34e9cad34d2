package io.lazyq.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Valid and invalid values of every option, each parsed as a read or write would parse it. */
class OptionParsingTest {
  /** A value given for an option, and either what it parses to or a part of the message it fails with. */
  record Case(LazyQOption<?> option, String value, Object parsed, String failure) {
    static Case valid(LazyQOption<?> option, String value, Object parsed) {
      return new Case(option, value, parsed, null);
    }

    static Case invalid(LazyQOption<?> option, String value, String failure) {
      return new Case(option, value, null, failure);
    }

    @Override
    public String toString() {
      return option + "=" + value;
    }
  }

  static final List<Case> CASES = List.of(
      Case.valid(LazyQOptions.BATCH_ROWS, "8", 8),
      Case.valid(LazyQOptions.BATCH_ROWS, " 256 ", 256),
      Case.invalid(LazyQOptions.BATCH_ROWS, "10", "multiple of 8"),
      Case.invalid(LazyQOptions.BATCH_ROWS, "0", "multiple of 8"),
      Case.invalid(LazyQOptions.BATCH_ROWS, "-8", "multiple of 8"),
      Case.invalid(LazyQOptions.BATCH_ROWS, "4k", "multiple of 8"),
      Case.valid(LazyQOptions.DEQUANTIZE, "FALSE", false),
      Case.valid(LazyQOptions.DEQUANTIZE, "true", true),
      Case.invalid(LazyQOptions.DEQUANTIZE, "yes", "true|false"),
      Case.valid(LazyQOptions.STREAM, "True", true),
      Case.invalid(LazyQOptions.STREAM, "1", "true|false"),
      Case.valid(LazyQOptions.PREFETCH, "0", 0),
      Case.valid(LazyQOptions.PREFETCH, "64", 64),
      Case.invalid(LazyQOptions.PREFETCH, "65", "0 to 64"),
      Case.invalid(LazyQOptions.PREFETCH, "-1", "0 to 64"),
      Case.valid(LazyQOptions.PREFETCH_DEQUANTIZE, "true", true),
      Case.invalid(LazyQOptions.PREFETCH_DEQUANTIZE, "", "true|false"),
      Case.valid(LazyQOptions.VERIFY, "True", true),
      Case.invalid(LazyQOptions.VERIFY, "1", "true|false"),
      Case.valid(LazyQOptions.AGGREGATE_PUSHDOWN, "FALSE", false),
      Case.invalid(LazyQOptions.AGGREGATE_PUSHDOWN, "on", "true|false"),
      Case.valid(LazyQOptions.MAX_CHUNKS_PER_TRIGGER, "1", 1),
      Case.invalid(LazyQOptions.MAX_CHUNKS_PER_TRIGGER, "0", "a positive integer"),
      Case.invalid(LazyQOptions.MAX_CHUNKS_PER_TRIGGER, "2147483648", "a positive integer"),
      Case.valid(LazyQOptions.MAX_BYTES_PER_TRIGGER, "1", 1L),
      Case.valid(LazyQOptions.MAX_BYTES_PER_TRIGGER, "64m", 64L << 20),
      Case.valid(LazyQOptions.MAX_BYTES_PER_TRIGGER, "1g", 1L << 30),
      Case.invalid(LazyQOptions.MAX_BYTES_PER_TRIGGER, "0", "a positive size"),
      Case.invalid(LazyQOptions.MAX_BYTES_PER_TRIGGER, "lots", "a positive size"),
      Case.valid(LazyQOptions.SKIP_CHANGE_COMMITS, "TRUE", true),
      Case.valid(LazyQOptions.SKIP_CHANGE_COMMITS, "false", false),
      Case.invalid(LazyQOptions.SKIP_CHANGE_COMMITS, "skip", "true|false"),
      Case.valid(LazyQOptions.VERSION_AS_OF, "0", 0L),
      Case.valid(LazyQOptions.VERSION_AS_OF, " 29 ", 29L),
      Case.invalid(LazyQOptions.VERSION_AS_OF, "-1", "a version number from 0"),
      Case.invalid(LazyQOptions.VERSION_AS_OF, "latest", "a version number from 0"),
      Case.valid(LazyQOptions.TIMESTAMP_AS_OF, "2026-01-31T12:00:00Z", 1_769_860_800_000L),
      Case.valid(LazyQOptions.TIMESTAMP_AS_OF, "2026-01-31T12:00:00.250+01:00", 1_769_857_200_250L),
      Case.valid(LazyQOptions.TIMESTAMP_AS_OF, "2026-01-31 12:00:00", 1_769_860_800_000L),
      Case.valid(LazyQOptions.TIMESTAMP_AS_OF, "2026-01-31", 1_769_817_600_000L),
      Case.invalid(LazyQOptions.TIMESTAMP_AS_OF, "yesterday", "ISO-8601"),
      Case.invalid(LazyQOptions.TIMESTAMP_AS_OF, "2026-02-30", "ISO-8601"),
      Case.valid(LazyQOptions.VIEW, "ROWS", LazyQReadConf.TensorView.ROWS),
      Case.valid(LazyQOptions.VIEW, "metadata", LazyQReadConf.TensorView.METADATA),
      Case.invalid(LazyQOptions.VIEW, "blocks", "tensors|rows|metadata"),
      Case.valid(LazyQOptions.QUANTIZE, "a=q8_0,b=q4_0", "a=q8_0,b=q4_0"),
      Case.valid(LazyQOptions.QUANTIZE, "affine8", "affine8"),
      Case.invalid(LazyQOptions.QUANTIZE, "a=q9_9", "unknown quantized type 'q9_9'"),
      Case.valid(LazyQOptions.ERROR_BOUND, "a=1e-3", "a=1e-3"),
      Case.invalid(LazyQOptions.ERROR_BOUND, "a=tight", "error bound 'tight' for column 'a' is not a number"),
      Case.valid(LazyQOptions.CHUNK_ROWS, "1", 1),
      Case.valid(LazyQOptions.CHUNK_ROWS, "1000000", 1_000_000),
      Case.invalid(LazyQOptions.CHUNK_ROWS, "0", "chunkRows"),
      Case.invalid(LazyQOptions.CHUNK_ROWS, "1e6", "a positive integer"),
      Case.valid(LazyQOptions.LOSSLESS, "ZSTD", "ZSTD"),
      Case.valid(LazyQOptions.LOSSLESS, "none", "none"),
      Case.valid(LazyQOptions.LOSSLESS, "Lightweight", "Lightweight"),
      Case.invalid(LazyQOptions.LOSSLESS, "gzip", "unknown lossless stage 'gzip'"),
      Case.invalid(LazyQOptions.LOSSLESS, "light", "valid: none, zstd, blocks, lightweight"),
      Case.valid(LazyQOptions.PARTITION_OVERWRITE_MODE, "Dynamic", "dynamic"),
      Case.valid(LazyQOptions.PARTITION_OVERWRITE_MODE, "static", "static"),
      Case.invalid(LazyQOptions.PARTITION_OVERWRITE_MODE, "partial", "valid: static|dynamic"),
      Case.valid(LazyQOptions.CHECKPOINT_INTERVAL, "1", 1),
      Case.valid(LazyQOptions.CHECKPOINT_INTERVAL, "100", 100),
      Case.invalid(LazyQOptions.CHECKPOINT_INTERVAL, "0", "checkpointInterval"));

  @Test
  void everyOptionHasValidAndInvalidCases() {
    List<String> missing = new ArrayList<>();
    for (LazyQOption<?> o : LazyQOptions.ALL) {
      if (CASES.stream().noneMatch(c -> c.option() == o && c.failure() == null)) {
        missing.add(o + ": a valid value");
      }
      if (CASES.stream().noneMatch(c -> c.option() == o && c.failure() != null)) {
        missing.add(o + ": an invalid value");
      }
    }
    assertEquals(List.of(), missing);
  }

  @TestFactory
  Stream<DynamicTest> valuesParseOrFailAsListed() {
    return CASES.stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
      Map<String, String> options = Map.of(c.option().name(), c.value());
      if (c.failure() == null) {
        assertEquals(c.parsed(), parse(c.option(), options));
      } else {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(c.option(), options));
        assertTrue(e.getMessage().contains(c.failure()), e.getMessage());
      }
    }));
  }

  /** Parses options as a read or a write does, without a session, and returns the option's value. */
  static Object parse(LazyQOption<?> option, Map<String, String> options) {
    CaseInsensitiveStringMap noSession = CaseInsensitiveStringMap.empty();
    return option.isRead() ? LazyQReadConf.parse(options, noSession).get(option)
        : LazyQWriteConf.parse(options, noSession).get(option);
  }
}
