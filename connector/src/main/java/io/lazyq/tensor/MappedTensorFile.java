package io.lazyq.tensor;

import io.lazyq.LazyQFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What GGUF and Safetensors readers share once their index is read: per-tensor mappings, created on
 * first touch, validated by the tensor's codec before anything decodes them, and counted.
 */
public abstract class MappedTensorFile implements TensorFile {
  /** FileChannel.map's limit for one buffer. */
  static final long MAX_MAPPING = Integer.MAX_VALUE;

  private final Path path;
  private final FileChannel channel;
  private final List<TensorInfo> tensors;
  private final Map<String, TensorInfo> byName;
  private final Metadata metadata;
  private final Map<String, ByteBuffer> mappings = new ConcurrentHashMap<>();
  private final Set<String> touched = ConcurrentHashMap.newKeySet();
  private final Set<String> validated = ConcurrentHashMap.newKeySet();
  private final AtomicLong mappedBytes = new AtomicLong();

  /** Takes ownership of {@code channel}; tensors must have been checked against the file. */
  protected MappedTensorFile(Path path, FileChannel channel, List<TensorInfo> tensors,
      Metadata metadata) {
    this.path = path;
    this.channel = channel;
    this.tensors = List.copyOf(tensors);
    Map<String, TensorInfo> m = new LinkedHashMap<>();
    for (TensorInfo t : tensors) {
      m.put(t.name(), t);
    }
    this.byName = Collections.unmodifiableMap(m);
    this.metadata = metadata;
  }

  @Override
  public final Path path() {
    return path;
  }

  @Override
  public final List<TensorInfo> tensors() {
    return tensors;
  }

  @Override
  public final java.util.Optional<TensorInfo> tensor(String name) {
    return java.util.Optional.ofNullable(byName.get(name));
  }

  @Override
  public final Metadata metadata() {
    return metadata;
  }

  @Override
  public final ByteBuffer data(TensorInfo tensor) throws IOException {
    own(tensor);
    if (tensor.byteSize() > MAX_MAPPING) {
      throw new UnsupportedOperationException(path + ": tensor '" + tensor.name() + "' is "
          + tensor.byteSize() + " bytes, over the 2 GiB that one buffer can map; read it by rows "
          + "through view()");
    }
    return littleEndian(mapping(tensor));
  }

  @Override
  public final TensorView view(TensorInfo tensor) throws IOException {
    own(tensor);
    return new TensorView(this, tensor);
  }

  @Override
  public final long mappedBytes() {
    return mappedBytes.get();
  }

  @Override
  public final Set<String> mappedTensors() {
    return Collections.unmodifiableSet(touched);
  }

  @Override
  public void close() throws IOException {
    mappings.clear();
    channel.close();
  }

  /** The whole tensor's mapping, created on first use. */
  final ByteBuffer mapping(TensorInfo t) throws IOException {
    ByteBuffer m = mappings.get(t.name());
    if (m == null) {
      ByteBuffer fresh = map(t, t.dataOffset(), t.byteSize());
      m = mappings.putIfAbsent(t.name(), fresh);
      m = m == null ? fresh : m;
    }
    return m;
  }

  /** The whole tensor's mapping, validated by its codec once, before its first decoding. */
  final ByteBuffer decodable(TensorInfo t) throws IOException {
    ByteBuffer m = mapping(t);
    if (!validated.contains(t.name())) {
      validate(t, m, t.dataOffset(), t.elementCount());
      validated.add(t.name());
    }
    return m;
  }

  /** Maps {@code bytes} bytes of {@code t} at {@code offset}, and counts them. */
  final ByteBuffer map(TensorInfo t, long offset, long bytes) throws IOException {
    MappedByteBuffer raw = channel.map(FileChannel.MapMode.READ_ONLY, offset, bytes);
    touched.add(t.name());
    mappedBytes.addAndGet(bytes);
    return raw.order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Checks that {@code region}, at {@code offset} in the file, is a well-formed encoding of
   * {@code values} values of {@code t}: codecs decode without checks of their own.
   */
  final void validate(TensorInfo t, ByteBuffer region, long offset, long values)
      throws LazyQFormatException {
    if (t.quantType().isPresent()) {
      try {
        t.quantType().get().codec().validate(littleEndian(region), values);
      } catch (LazyQFormatException e) {
        throw e.locate(path.toString(), offset);
      }
    }
  }

  static ByteBuffer littleEndian(ByteBuffer b) {
    return b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  private void own(TensorInfo tensor) {
    if (!tensor.equals(byName.get(tensor.name()))) {
      throw new IllegalArgumentException(path + " has no tensor " + tensor);
    }
  }
}
