package io.lazyq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lazyq.gguf.GgufFile;
import io.lazyq.safetensors.SafetensorsFile;
import io.lazyq.tensor.MetadataValue;
import io.lazyq.tensor.TensorFile;
import io.lazyq.tensor.TensorInfo;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/**
 * The description of a tensor file that {@code lazyq inspect} prints: format, version, alignment,
 * metadata (long arrays abbreviated) and, per tensor, name, type, shape (outermost first),
 * elements, bytes and offset. Reads the index only.
 */
public final class TensorFileSummary {
  /** Arrays longer than this are shown by their first elements and their length. */
  static final int ARRAY_PREVIEW = 8;
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final TensorFile file;

  public TensorFileSummary(TensorFile file) {
    this.file = file;
  }

  public void print(PrintStream out, boolean json) {
    out.println(json ? toJson() : toText());
  }

  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append("file: ").append(file.path()).append('\n');
    sb.append("format: ").append(formatLine()).append('\n');
    sb.append("metadata: ").append(file.metadata().size()).append(" keys\n");
    for (Map.Entry<String, MetadataValue> e : file.metadata().asMap().entrySet()) {
      MetadataValue v = e.getValue();
      sb.append("  ").append(e.getKey()).append(" (").append(typeLabel(v)).append(") = ")
          .append(v.display(ARRAY_PREVIEW)).append('\n');
    }
    sb.append("tensors: ").append(file.tensors().size()).append('\n');
    sb.append(String.format("  %-40s %-6s %-20s %12s %12s %12s%n", "name", "type", "shape",
        "elements", "bytes", "offset"));
    for (TensorInfo t : file.tensors()) {
      sb.append(String.format("  %-40s %-6s %-20s %12d %12d %12d%n", t.name(), t.type(),
          Arrays.toString(t.shape()), t.elementCount(), t.byteSize(), t.dataOffset()));
    }
    return sb.toString().stripTrailing();
  }

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("file", file.path().toString());
    root.put("format", file.format().name().toLowerCase(java.util.Locale.ROOT));
    if (file instanceof GgufFile g) {
      root.put("version", g.version());
      root.put("alignment", g.alignment());
      root.put("dataStart", g.dataStart());
    } else if (file instanceof SafetensorsFile s) {
      root.put("headerLength", s.headerLength());
    }
    ObjectNode md = root.putObject("metadata");
    for (Map.Entry<String, MetadataValue> e : file.metadata().asMap().entrySet()) {
      ObjectNode entry = md.putObject(e.getKey());
      MetadataValue v = e.getValue();
      entry.put("type", typeLabel(v));
      if (v.isArray()) {
        entry.put("length", v.length());
        ArrayNode values = entry.putArray("values");
        for (int i = 0; i < Math.min(v.length(), ARRAY_PREVIEW); i++) {
          values.addPOJO(jsonScalar(v.elementType(), v.element(i)));
        }
        entry.put("truncated", v.length() > ARRAY_PREVIEW);
      } else {
        entry.putPOJO("value", jsonScalar(v.type(), v.value()));
      }
    }
    ArrayNode tensors = root.putArray("tensors");
    for (TensorInfo t : file.tensors()) {
      ObjectNode n = tensors.addObject();
      n.put("name", t.name());
      n.put("type", t.type().label());
      ArrayNode shape = n.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      n.put("elements", t.elementCount());
      n.put("bytes", t.byteSize());
      n.put("offset", t.dataOffset());
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private String formatLine() {
    if (file instanceof GgufFile g) {
      return "gguf v" + g.version() + ", alignment " + g.alignment() + ", data at " + g.dataStart();
    }
    return file.format().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String typeLabel(MetadataValue v) {
    return v.isArray() ? "array<" + v.elementType().label() + ">" : v.type().label();
  }

  /** UINT64 as an unsigned decimal number (BigInteger), everything else as held. */
  private static Object jsonScalar(io.lazyq.tensor.ValueType t, Object v) {
    return t == io.lazyq.tensor.ValueType.UINT64
        ? new java.math.BigInteger(Long.toUnsignedString((Long) v)) : v;
  }
}
