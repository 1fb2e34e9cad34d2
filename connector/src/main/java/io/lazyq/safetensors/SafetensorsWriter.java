package io.lazyq.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lazyq.Closeables;
import io.lazyq.tensor.Metadata;
import io.lazyq.tensor.MetadataValue;
import io.lazyq.tensor.TensorFileWriter;
import io.lazyq.tensor.TensorSpec;
import io.lazyq.tensor.ValueType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a Safetensors file in one pass: the header (padded with spaces to a multiple of 8 bytes,
 * as the specification allows, so that the data is 8-byte aligned), then each tensor's data in
 * declaration order, contiguous. Metadata must be strings.
 */
public final class SafetensorsWriter extends TensorFileWriter {
  private static final JsonFactory JSON = new JsonFactory();

  private SafetensorsWriter(Path target, ByteBuffer header, List<TensorSpec> tensors)
      throws IOException {
    super(target, tensors);
    try {
      put(header);
    } catch (IOException | RuntimeException e) {
      Closeables.closeOnFailure(e, this);
      throw e;
    }
  }

  /**
   * Starts writing {@code target}.
   *
   * @throws IllegalArgumentException for a dtype Safetensors lacks, or a non-string metadata value
   */
  public static SafetensorsWriter create(Path target, Metadata metadata, List<TensorSpec> tensors)
      throws IOException {
    return new SafetensorsWriter(target, header(metadata, tensors), tensors);
  }

  @Override
  protected long paddingAfter(long bytes) {
    return 0;
  }

  static ByteBuffer header(Metadata metadata, List<TensorSpec> tensors) {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(json)) {
      g.writeStartObject();
      if (metadata.size() > 0) {
        g.writeObjectFieldStart(SafetensorsFile.METADATA_KEY);
        for (Map.Entry<String, MetadataValue> e : metadata.asMap().entrySet()) {
          if (e.getValue().type() != ValueType.STRING) {
            throw new IllegalArgumentException("Safetensors metadata holds strings only; '"
                + e.getKey() + "' is " + e.getValue());
          }
          g.writeStringField(e.getKey(), e.getValue().asString());
        }
        g.writeEndObject();
      }
      long offset = 0;
      for (TensorSpec t : tensors) {
        String dtype = DTypes.nameOf(t.type()).orElseThrow(() -> new IllegalArgumentException(
            "tensor '" + t.name() + "': Safetensors has no dtype for " + t.type()));
        g.writeObjectFieldStart(t.name());
        g.writeStringField("dtype", dtype);
        g.writeArrayFieldStart("shape");
        for (long d : t.shape()) {
          g.writeNumber(d);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("data_offsets");
        g.writeNumber(offset);
        offset += t.byteSize();
        g.writeNumber(offset);
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int n = json.size();
    int padded = (n + 7) & -8;
    ByteBuffer b = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(padded).put(json.toByteArray());
    while (b.hasRemaining()) {
      b.put((byte) ' ');
    }
    return b.flip();
  }
}
