package io.lazyq.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.lazyq.Closeables;
import io.lazyq.LazyQFormatException;
import io.lazyq.tensor.ElementType;
import io.lazyq.tensor.MappedTensorFile;
import io.lazyq.tensor.Metadata;
import io.lazyq.tensor.MetadataValue;
import io.lazyq.tensor.Shapes;
import io.lazyq.tensor.TensorFormat;
import io.lazyq.tensor.TensorInfo;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Safetensors file, read lazily: {@link #open} parses and checks the JSON header; tensor data is
 * mapped on first use.
 *
 * <p>Checks, after the format's specification: the header length is at most 100,000,000 bytes and
 * fits the file; the header is one JSON object (nesting depth capped, so that a header of nested
 * brackets fails at once) of tensors {@code {"dtype", "shape", "data_offsets"}} and an optional
 * {@code "__metadata__"} string map, followed only by whitespace; each tensor's data size equals its
 * element count times its dtype's width (overflow-checked); the data, sorted by offset, covers the
 * byte buffer exactly, with no holes or overlaps.
 *
 * <p>Dtypes F32, F16, BF16, F64, I8, U8, I16, I32, I64 and BOOL are read; the others are refused.
 * F64 and the integer dtypes read as float in {@link io.lazyq.tensor.TensorView}s (converted; BOOL
 * reads as 0 or 1).
 */
public final class SafetensorsFile extends MappedTensorFile {
  public static final long MAX_HEADER_BYTES = 100_000_000L;
  public static final String METADATA_KEY = "__metadata__";
  /** The deepest a valid header nests is 3 (object, tensor, shape); leave room, refuse bombs. */
  private static final int MAX_DEPTH = 8;
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
          .maxStringLength((int) MAX_HEADER_BYTES).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private final long headerLength;

  private SafetensorsFile(Path path, FileChannel ch, List<TensorInfo> tensors, Metadata metadata,
      long headerLength) {
    super(path, ch, tensors, metadata);
    this.headerLength = headerLength;
  }

  /** Opens and checks a Safetensors file; {@link LazyQFormatException} for anything malformed. */
  public static SafetensorsFile open(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      String source = path.toString();
      long size = ch.size();
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      while (len.hasRemaining() && ch.read(len, len.position()) > 0) {
        // read the 8-byte header length
      }
      if (len.hasRemaining()) {
        throw new LazyQFormatException(source, 0, "file of " + size
            + " bytes is too short for a Safetensors header length");
      }
      long n = len.getLong(0);
      if (n < 0 || n > MAX_HEADER_BYTES || n > size - 8) {
        throw new LazyQFormatException(source, 0, "header length " + Long.toUnsignedString(n)
            + " exceeds " + (n > MAX_HEADER_BYTES || n < 0 ? "the 100,000,000-byte limit"
            : "the " + (size - 8) + " bytes after it"));
      }
      Parsed p = parse(source, ch, n);
      List<TensorInfo> tensors = place(source, p, 8 + n, size);
      return new SafetensorsFile(path, ch, tensors, p.metadata, n);
    } catch (IOException | RuntimeException e) {
      Closeables.closeOnFailure(e, ch);
      throw e;
    }
  }

  @Override
  public TensorFormat format() {
    return TensorFormat.SAFETENSORS;
  }

  /** Bytes of the JSON header (padding included). */
  public long headerLength() {
    return headerLength;
  }

  /** A tensor as the header declares it, before it is placed in the file. */
  private record Declared(String name, ElementType type, long[] shape, long count, long begin,
      long end, long at) {}

  private static final class Parsed {
    final List<Declared> tensors = new ArrayList<>();
    Metadata metadata = Metadata.empty();
  }

  private static Parsed parse(String source, FileChannel ch, long n) throws IOException {
    checkUtf8Start(source, ch, n);
    // Stream straight from the file: the header is never held whole in memory.
    InputStream in = new BufferedInputStream(limited(Channels.newInputStream(ch.position(8)), n));
    Parsed p = new Parsed();
    try (JsonParser json = JSON.createParser(in)) {
      Header h = new Header(source, json);
      h.expect(json.nextToken(), JsonToken.START_OBJECT, "the header");
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        long at = h.at();
        json.nextToken();
        if (name.equals(METADATA_KEY)) {
          p.metadata = h.metadata();
        } else {
          p.tensors.add(h.tensor(name, at));
        }
      }
      h.expect(json.currentToken(), JsonToken.END_OBJECT, "the header");
      if (json.nextToken() != null) {
        throw h.fail(h.at(), "content after the header object");
      }
    } catch (StreamConstraintsException e) {
      throw new LazyQFormatException(source, 8 + e.getLocation().getByteOffset(),
          "header JSON nests deeper than " + MAX_DEPTH + " levels or breaks a size limit", e);
    } catch (JsonProcessingException e) {
      long at = e.getLocation() == null ? 8 : 8 + Math.max(0, e.getLocation().getByteOffset());
      throw new LazyQFormatException(source, at, "malformed header JSON: " + e.getOriginalMessage(),
          e);
    }
    return p;
  }

  /**
   * Refuses a header whose first bytes hold 0x00, 0xFE or 0xFF, which UTF-8 JSON never contains:
   * from such bytes the JSON parser would guess UTF-16 or UTF-32, and fail outside its own errors.
   */
  private static void checkUtf8Start(String source, FileChannel ch, long n) throws IOException {
    ByteBuffer head = ByteBuffer.allocate((int) Math.min(4, n));
    while (head.hasRemaining() && ch.read(head, 8 + head.position()) > 0) {
      // the header length was checked against the file's size
    }
    for (int i = 0; i < head.position(); i++) {
      int b = head.get(i) & 0xFF;
      if (b == 0x00 || b == 0xFE || b == 0xFF) {
        throw new LazyQFormatException(source, 8 + i, String.format("header byte 0x%02x is not UTF-8 JSON", b));
      }
    }
  }

  /** Reads tensor entries and the metadata map, with offsets for every error. */
  private static final class Header {
    private final String source;
    private final JsonParser json;

    Header(String source, JsonParser json) {
      this.source = source;
      this.json = json;
    }

    long at() {
      return 8 + json.currentTokenLocation().getByteOffset();
    }

    LazyQFormatException fail(long at, String problem) {
      return new LazyQFormatException(source, at, problem);
    }

    void expect(JsonToken got, JsonToken wanted, String what) throws LazyQFormatException {
      if (got != wanted) {
        throw fail(at(), what + ": expected " + wanted.asString() + ", found "
            + (got == null ? "end of header" : got.asString() == null ? got.name() : got.asString()));
      }
    }

    Metadata metadata() throws IOException {
      expect(json.currentToken(), JsonToken.START_OBJECT, METADATA_KEY);
      Map<String, MetadataValue> m = new LinkedHashMap<>();
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String key = json.currentName();
        expect(json.nextToken(), JsonToken.VALUE_STRING, METADATA_KEY + " value of '" + key + "'");
        m.put(key, MetadataValue.string(json.getText()));
      }
      return Metadata.of(m);
    }

    Declared tensor(String name, long at) throws IOException {
      expect(json.currentToken(), JsonToken.START_OBJECT, "tensor '" + name + "'");
      String dtype = null;
      long[] shape = null;
      long[] offsets = null;
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        json.nextToken();
        switch (field) {
          case "dtype":
            expect(json.currentToken(), JsonToken.VALUE_STRING, "dtype of '" + name + "'");
            dtype = json.getText();
            break;
          case "shape":
            shape = longs("shape of '" + name + "'", -1);
            break;
          case "data_offsets":
            offsets = longs("data_offsets of '" + name + "'", 2);
            break;
          default:
            throw fail(at(), "tensor '" + name + "' has an unknown field '" + field + "'");
        }
      }
      if (dtype == null || shape == null || offsets == null) {
        throw fail(at, "tensor '" + name + "' lacks "
            + (dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
      }
      String d = dtype;
      ElementType type = DTypes.byName(dtype).orElseThrow(
          () -> fail(at, "unsupported dtype " + d + " for tensor '" + name + "'"));
      long count;
      try {
        count = Shapes.elementCount(shape);
      } catch (ArithmeticException e) {
        throw fail(at, "tensor '" + name + "': the element count of shape "
            + java.util.Arrays.toString(shape) + " overflows int64");
      }
      return new Declared(name, type, shape, count, offsets[0], offsets[1], at);
    }

    /** An array of non-negative integers ({@code size} of them, if not -1); at most 64. */
    private long[] longs(String what, int size) throws IOException {
      expect(json.currentToken(), JsonToken.START_ARRAY, what);
      long[] buf = new long[8];
      int n = 0;
      while (json.nextToken() != JsonToken.END_ARRAY) {
        if (json.currentToken() != JsonToken.VALUE_NUMBER_INT
            || json.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            || json.getLongValue() < 0) {
          throw fail(at(), what + ": " + json.getText() + " is not a non-negative 64-bit integer");
        }
        if (n == 64) {
          throw fail(at(), what + " has more than 64 entries");
        }
        if (n == buf.length) {
          buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        }
        buf[n++] = json.getLongValue();
      }
      if (size >= 0 && n != size) {
        throw fail(at(), what + " has " + n + " entries, expected " + size);
      }
      return java.util.Arrays.copyOf(buf, n);
    }
  }

  /** Checks the declared byte ranges and turns them into absolute offsets. */
  private static List<TensorInfo> place(String source, Parsed p, long dataStart, long fileSize)
      throws LazyQFormatException {
    List<Declared> sorted = new ArrayList<>(p.tensors);
    sorted.sort(Comparator.comparingLong(Declared::begin).thenComparingLong(Declared::end));
    long expected = 0;
    for (Declared d : sorted) {
      long bytes;
      try {
        bytes = d.type.byteSize(d.count);
      } catch (ArithmeticException e) {
        throw new LazyQFormatException(source, d.at, "tensor '" + d.name + "': "
            + d.count + " elements of " + d.type + " overflow int64 bytes");
      }
      if (d.begin > d.end || d.end - d.begin != bytes) {
        throw new LazyQFormatException(source, d.at, "tensor '" + d.name + "' data_offsets ["
            + d.begin + ", " + d.end + "] do not hold its " + d.count + " elements of " + d.type
            + " (" + bytes + " bytes)");
      }
      if (d.begin != expected) {
        throw new LazyQFormatException(source, d.at, "tensor '" + d.name + "' data starts at "
            + d.begin + ", expected " + expected + (d.begin < expected ? " (overlap)" : " (a hole)"));
      }
      expected = d.end;
    }
    if (expected != fileSize - dataStart) {
      throw new LazyQFormatException(source, dataStart, "tensor data covers " + expected
          + " bytes, but " + (fileSize - dataStart) + " follow the header");
    }
    List<TensorInfo> out = new ArrayList<>(p.tensors.size());
    for (Declared d : p.tensors) {
      out.add(new TensorInfo(d.name, d.type, d.shape, d.count, d.end - d.begin,
          dataStart + d.begin));
    }
    return out;
  }

  private static InputStream limited(InputStream in, long n) {
    return new InputStream() {
      private long left = n;

      @Override
      public int read() throws IOException {
        if (left <= 0) {
          return -1;
        }
        int b = in.read();
        if (b >= 0) {
          left--;
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int k = in.read(b, off, (int) Math.min(len, left));
        if (k > 0) {
          left -= k;
        }
        return k;
      }
    };
  }
}
