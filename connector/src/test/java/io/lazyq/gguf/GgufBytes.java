package io.lazyq.gguf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A little-endian GGUF file under construction, for hand-made hostile inputs. */
public final class GgufBytes {
  /** The bytes so far; tests append raw fields to it directly. */
  public final ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

  public GgufBytes header(int version, long tensors, long kvs) {
    b.putInt(GgufFile.MAGIC).putInt(version).putLong(tensors).putLong(kvs);
    return this;
  }

  public GgufBytes str(String s) {
    byte[] x = s.getBytes(StandardCharsets.UTF_8);
    b.putLong(x.length).put(x);
    return this;
  }

  public GgufBytes tensor(String name, long[] ne, int type, long offset) {
    str(name).b.putInt(ne.length);
    for (long d : ne) {
      b.putLong(d);
    }
    b.putInt(type).putLong(offset);
    return this;
  }

  public GgufBytes zeros(int n) {
    b.put(new byte[n]);
    return this;
  }

  public byte[] bytes() {
    return Arrays.copyOf(b.array(), b.position());
  }
}
