package io.lazyq.lossless;

import java.util.Arrays;

/**
 * The entropy stage of a stream ({@link RegionStream}, stage 1): a static rANS coder over a
 * region's codes, with an order-1 context. A code below the alphabet's last symbol is its own
 * symbol; a larger one is the escape symbol, its excess stored as a varint apart. The context of
 * code i is the bit length of an earlier symbol (model 1: symbol i−1; model 2: the larger of
 * symbols i−1 and i−2), so that a quiet stretch of a signal and a noisy one are coded with tables
 * of their own. Frequencies are per context, normalized to 2^scale, stored once in the stream.
 *
 * <p>Why not zstd over byte planes: a delta of hourly weather readings or a code of vibration
 * data is a symbol of 3-8 bits whose statistics depend on the previous one; zstd codes byte planes
 * order-0 within its blocks and finds few matches. On the PM2.5/weather readings the coder takes
 * humidity from 1.18 to about 0.98 bytes a value and wind speed from 1.00 to 0.71 (RealDataBench).
 * No library fits: htsjdk's CRAM rANS (order 0/1 over bytes) would bring htsjdk's dependencies
 * into the connector, and codes here are wider than a byte.
 *
 * <pre>
 * u8  model       0 order-0 (one context), 1 bit length of the previous symbol, 2 of the larger of the two previous
 * u8  a           alphabet bits, 1 to 12: symbols 0 .. 2^a − 1; symbol 2^a − 1 is the escape
 * u8  scale       frequency bits, a to 15: each used context's frequencies sum to 2^scale
 * u32 T           table bytes, then T bytes: per context 0 .. C − 1 (C = 1 for model 0, else a + 1),
 *                 2^a frequencies as varints, a zero followed by a varint count of further zeros;
 *                 a context sums to 2^scale or to 0 (unused)
 * u32 E           escape bytes, then E bytes: per escape in order, varint (code − (2^a − 1))
 * rest            rANS: u32 final state, then the renormalization bytes in the order they are read
 * </pre>
 *
 * The previous symbols of code 0 (and 1) are 0. The decoder requires the state to end at
 * {@code 2^23} with every byte read, so damage that still decodes to in-range symbols is caught.
 * Decoding is bounded by the section's length; tables are bounded by the alphabet, never by a
 * count read from the stream.
 */
final class ContextRans {
  static final int MAX_ALPHABET_BITS = 12;
  static final int MAX_SCALE = 15;
  private static final int LOW = 1 << 23;
  private static final int FIXED = 3 + 4 + 4;

  private ContextRans() {}

  /** Contexts of a model over an alphabet of {@code a} bits. */
  static int contexts(int model, int a) {
    return model == 0 ? 1 : a + 1;
  }

  private static int context(int model, int previous, int before) {
    return model == 0 ? 0 : 32 - Integer.numberOfLeadingZeros(model == 1 ? previous : Math.max(previous, before));
  }

  /**
   * Encodes codes {@code [0, n)} (unsigned) with the model and alphabet that give the fewest
   * bytes, found by counting each candidate's symbols and sizing its tables exactly.
   */
  static byte[] encode(long[] codes, int n) {
    long max = 0;
    for (int i = 0; i < n; i++) {
      max = Long.compareUnsigned(codes[i], max) > 0 ? codes[i] : max;
    }
    // The alphabet that holds every code (plus the escape), and smaller ones where escapes are rare.
    int full = max == -1L ? MAX_ALPHABET_BITS
        : Math.min(MAX_ALPHABET_BITS, Math.max(1, 64 - Long.numberOfLeadingZeros(max + 1)));
    Model best = null;
    for (int a = full; a >= Math.max(1, full - 4); a--) {
      for (int model = 0; model <= 2; model++) {
        Model m = new Model(model, a, codes, n);
        if (best == null || m.bytes < best.bytes) {
          best = m;
        }
      }
    }
    return best.encode(codes, n);
  }

  /** A model fitted to a region's codes: its normalized tables and exact encoded size. */
  static final class Model {
    final int model;
    final int a;
    final int scale;
    final int[][] freq;
    final byte[] table;
    final long bytes;

    Model(int model, int a, long[] codes, int n) {
      this.model = model;
      this.a = a;
      int alphabet = 1 << a;
      int escape = alphabet - 1;
      this.scale = Math.min(MAX_SCALE, Math.max(12, a + 3));
      int contexts = contexts(model, a);
      long[][] counts = new long[contexts][alphabet];
      long escapeBytes = 0;
      int previous = 0;
      int before = 0;
      for (int i = 0; i < n; i++) {
        int s = symbol(codes[i], escape);
        if (s == escape) {
          escapeBytes += varintLength(codes[i] - escape);
        }
        counts[context(model, previous, before)][s]++;
        before = previous;
        previous = s;
      }
      freq = new int[contexts][];
      double bits = 0;
      for (int c = 0; c < contexts; c++) {
        freq[c] = normalize(counts[c], scale);
        for (int s = 0; s < alphabet; s++) {
          if (counts[c][s] > 0) {
            bits += counts[c][s] * (scale - log2(freq[c][s]));
          }
        }
      }
      table = tables(freq, alphabet);
      bytes = FIXED + table.length + escapeBytes + 4 + (long) Math.ceil(bits / 8);
    }

    byte[] encode(long[] codes, int n) {
      int alphabet = 1 << a;
      int escape = alphabet - 1;
      int contexts = freq.length;
      int[][] start = new int[contexts][];
      for (int c = 0; c < contexts; c++) {
        start[c] = new int[alphabet];
        for (int s = 1; s < alphabet; s++) {
          start[c][s] = start[c][s - 1] + freq[c][s - 1];
        }
      }
      int[] symbols = new int[n];
      ByteSink escapes = new ByteSink(16);
      for (int i = 0; i < n; i++) {
        symbols[i] = symbol(codes[i], escape);
        if (symbols[i] == escape) {
          escapes.varint(codes[i] - escape);
        }
      }
      // rANS codes backwards; each symbol emits at most two bytes (scale ≤ 15 < 16).
      byte[] rev = new byte[2 * n + 8];
      int at = rev.length;
      int x = LOW;
      for (int i = n - 1; i >= 0; i--) {
        int s = symbols[i];
        int c = context(model, i > 0 ? symbols[i - 1] : 0, i > 1 ? symbols[i - 2] : 0);
        int f = freq[c][s];
        long bound = (long) ((LOW >>> scale) << 8) * f;
        while (Integer.toUnsignedLong(x) >= bound) {
          rev[--at] = (byte) x;
          x >>>= 8;
        }
        x = ((x / f) << scale) + (x % f) + start[c][s];
      }
      int ransBytes = 4 + rev.length - at;
      byte[] out = new byte[FIXED + table.length + escapes.size + ransBytes];
      out[0] = (byte) model;
      out[1] = (byte) a;
      out[2] = (byte) scale;
      BlockFormat.putI32(out, 3, table.length);
      System.arraycopy(table, 0, out, 7, table.length);
      int p = 7 + table.length;
      BlockFormat.putI32(out, p, escapes.size);
      System.arraycopy(escapes.bytes, 0, out, p + 4, escapes.size);
      p += 4 + escapes.size;
      BlockFormat.putI32(out, p, x);
      System.arraycopy(rev, at, out, p + 4, rev.length - at);
      return out;
    }
  }

  private static int symbol(long code, int escape) {
    return Long.compareUnsigned(code, escape) >= 0 ? escape : (int) code;
  }

  private static double log2(int f) {
    return Math.log(f) / Math.log(2);
  }

  /**
   * Frequencies summing to {@code 2^scale} with every counted symbol at least 1, or all 0 where
   * nothing was counted; the rounding error is taken from the largest frequencies.
   */
  static int[] normalize(long[] counts, int scale) {
    int total = 1 << scale;
    long sum = 0;
    for (long c : counts) {
      sum += c;
    }
    int[] f = new int[counts.length];
    if (sum == 0) {
      return f;
    }
    long assigned = 0;
    for (int s = 0; s < counts.length; s++) {
      if (counts[s] > 0) {
        f[s] = (int) Math.max(1, counts[s] * total / sum);
        assigned += f[s];
      }
    }
    while (assigned != total) {
      int largest = 0;
      for (int s = 1; s < f.length; s++) {
        largest = f[s] > f[largest] ? s : largest;
      }
      if (assigned < total) {
        f[largest] += (int) (total - assigned);
        assigned = total;
      } else {
        int take = (int) Math.min(assigned - total, f[largest] - 1);
        f[largest] -= take;
        assigned -= take;
        if (take == 0) {
          // Every symbol at 1 and still too many: cannot happen while 2^scale ≥ the alphabet.
          throw new IllegalStateException("alphabet larger than 2^" + scale);
        }
      }
    }
    return f;
  }

  private static byte[] tables(int[][] freq, int alphabet) {
    ByteSink out = new ByteSink(64);
    for (int[] f : freq) {
      for (int s = 0; s < alphabet; ) {
        out.varint(f[s]);
        if (f[s] == 0) {
          int run = 0;
          while (s + 1 + run < alphabet && f[s + 1 + run] == 0) {
            run++;
          }
          out.varint(run);
          s += run;
        }
        s++;
      }
    }
    return Arrays.copyOf(out.bytes, out.size);
  }

  static int varintLength(long v) {
    return Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 6) / 7);
  }

  /** A growing byte array for varints. */
  private static final class ByteSink {
    byte[] bytes;
    int size;

    ByteSink(int capacity) {
      bytes = new byte[capacity];
    }

    void varint(long v) {
      if (bytes.length < size + 10) {
        bytes = Arrays.copyOf(bytes, bytes.length * 2 + 10);
      }
      while ((v & ~0x7FL) != 0) {
        bytes[size++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      bytes[size++] = (byte) v;
    }
  }

  /** Decoding tables per thread, sized by the format's limits and reused from one region to the next. */
  private static final class Tables {
    final short[] symbolOf = new short[(MAX_ALPHABET_BITS + 1) << MAX_SCALE];
    final int[] freq = new int[(MAX_ALPHABET_BITS + 1) << MAX_ALPHABET_BITS];
    final int[] start = new int[(MAX_ALPHABET_BITS + 1) << MAX_ALPHABET_BITS];
    final boolean[] used = new boolean[MAX_ALPHABET_BITS + 1];
  }

  private static final ThreadLocal<Tables> TABLES = ThreadLocal.withInitial(Tables::new);

  /**
   * Decodes a section of {@code length} bytes at {@code off} of {@code src} into {@code n} codes of
   * {@code b} bytes, written as byte planes (byte 0 of every code, then byte 1, ...) into
   * {@code planes}; returns {@code null}, or what is wrong with the section (with its offset
   * within the section).
   */
  static String decode(byte[] src, int off, int length, int n, int b, byte[] planes) {
    if (length < FIXED + 4) {
      return "entropy section of " + length + " bytes is shorter than its fixed fields";
    }
    int end = off + length;
    int model = src[off];
    int a = src[off + 1];
    int scale = src[off + 2];
    if (model < 0 || model > 2) {
      return "entropy model " + model + " (at +0)";
    }
    if (a < 1 || a > MAX_ALPHABET_BITS || scale < a || scale > MAX_SCALE) {
      return "entropy alphabet of " + a + " bits with " + scale + " frequency bits (at +1)";
    }
    long tableBytes = Integer.toUnsignedLong(BlockFormat.i32(src, off + 3));
    if (tableBytes > length - FIXED - 4) {
      return "entropy tables of " + tableBytes + " bytes exceed the section's " + length + " (at +3)";
    }
    int alphabet = 1 << a;
    int escape = alphabet - 1;
    int contexts = contexts(model, a);
    Tables t = TABLES.get();
    // Tables: read, check that each used context sums to 2^scale, and spread its slots.
    int[] pos = {off + 7};
    int tableEnd = off + 7 + (int) tableBytes;
    int total = 1 << scale;
    for (int c = 0; c < contexts; c++) {
      int base = c << MAX_ALPHABET_BITS;
      long sum = 0;
      for (int s = 0; s < alphabet; ) {
        long f = varint(src, pos, tableEnd);
        if (pos[0] < 0) {
          return "entropy table of context " + c + " ends early";
        }
        if (f > total) {
          return "entropy frequency " + f + " above 2^" + scale + " in context " + c + " (at +" + (pos[0] - off) + ")";
        }
        t.freq[base + s] = (int) f;
        t.start[base + s] = (int) sum;
        sum += f;
        s++;
        if (f == 0) {
          long run = varint(src, pos, tableEnd);
          if (pos[0] < 0) {
            return "entropy table of context " + c + " ends early";
          }
          if (run > alphabet - s) {
            return "entropy table of context " + c + " has a run of " + run + " zeros past its " + alphabet
                + " symbols (at +" + (pos[0] - off) + ")";
          }
          for (int k = 0; k < run; k++, s++) {
            t.freq[base + s] = 0;
            t.start[base + s] = (int) sum;
          }
        }
      }
      if (sum != 0 && sum != total) {
        return "entropy frequencies of context " + c + " sum to " + sum + ", not 2^" + scale;
      }
      t.used[c] = sum != 0;
      if (sum != 0) {
        int slots = c << MAX_SCALE;
        for (int s = 0; s < alphabet; s++) {
          int f = t.freq[base + s];
          if (f > 0) {
            Arrays.fill(t.symbolOf, slots + t.start[base + s], slots + t.start[base + s] + f, (short) s);
          }
        }
      }
    }
    if (pos[0] != tableEnd) {
      return "entropy tables end at +" + (pos[0] - off) + ", not at their length's +" + (tableEnd - off);
    }
    long escapeBytes = Integer.toUnsignedLong(BlockFormat.i32(src, tableEnd));
    if (escapeBytes > end - tableEnd - 8) {
      return "entropy escapes of " + escapeBytes + " bytes exceed the section (at +" + (tableEnd - off) + ")";
    }
    int[] esc = {tableEnd + 4};
    int escEnd = tableEnd + 4 + (int) escapeBytes;
    int p = escEnd;
    int x = BlockFormat.i32(src, p);
    p += 4;
    if (Integer.compareUnsigned(x, LOW) < 0 || x < 0) {
      return "rANS state " + Integer.toUnsignedString(x) + " out of range (at +" + (p - 4 - off) + ")";
    }
    int mask = total - 1;
    long limit = b == 8 ? -1L : (1L << (8 * b)) - 1;
    int previous = 0;
    int before = 0;
    for (int i = 0; i < n; i++) {
      int c = context(model, previous, before);
      if (!t.used[c]) {
        return "symbol " + i + " falls in unused entropy context " + c;
      }
      int slot = x & mask;
      int s = t.symbolOf[(c << MAX_SCALE) + slot];
      int fs = (c << MAX_ALPHABET_BITS) + s;
      x = t.freq[fs] * (x >>> scale) + slot - t.start[fs];
      while (x < LOW) {
        if (p >= end) {
          return "rANS data ends early, at symbol " + i + " of " + n;
        }
        x = (x << 8) | (src[p++] & 0xFF);
      }
      long code = s;
      if (s == escape) {
        long excess = varint(src, esc, escEnd);
        if (esc[0] < 0) {
          return "entropy escapes end early or overflow, at symbol " + i + " of " + n;
        }
        code = escape + excess;
        if (Long.compareUnsigned(code, escape) < 0) {
          return "escaped code of symbol " + i + " overflows 64 bits";
        }
      }
      if (Long.compareUnsigned(code, limit) > 0) {
        return "code " + Long.toUnsignedString(code) + " of symbol " + i + " is wider than " + b + " bytes";
      }
      for (int j = 0; j < b; j++) {
        planes[j * n + i] = (byte) (code >>> (8 * j));
      }
      before = previous;
      previous = s;
    }
    if (x != LOW || p != end) {
      return "rANS data does not end where its symbols do (state " + Integer.toUnsignedString(x) + ", "
          + (end - p) + " bytes left)";
    }
    if (esc[0] != escEnd) {
      return (escEnd - esc[0]) + " entropy escape bytes left over";
    }
    return null;
  }

  /**
   * An unsigned varint at {@code pos[0]} before {@code end}, advancing {@code pos[0]}, which
   * becomes −1 where the varint runs past {@code end} or past 64 bits.
   */
  private static long varint(byte[] src, int[] pos, int end) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos[0] >= end) {
        break;
      }
      int by = src[pos[0]++];
      v |= (long) (by & 0x7F) << shift;
      if (by >= 0) {
        if (shift == 63 && by > 1) {
          break;
        }
        return v;
      }
    }
    pos[0] = -1;
    return 0;
  }
}
