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
 * humidity from 1.18 to 0.98 bytes a value and wind speed from 1.00 to 0.81 (RealDataBench). It
 * decodes at 8-12 ns a code (a stream of it opens 3-5x slower than one under zstd), see
 * {@link RegionStream#RANS_SHARE}.
 * No library fits: htsjdk's CRAM rANS codes bytes (order 0/1 over byte contexts, 12-bit
 * frequencies) and comes inside a whole genomics library; codes here are up to 12 bits wide and
 * take their context from a symbol's magnitude.
 *
 * <pre>
 * u8  model       0 order-0 (one context), 1 bit length of the previous symbol, 2 of the larger of the two previous
 * u8  a           alphabet bits, 1 to 12: symbols 0 .. 2^a − 1; symbol 2^a − 1 is the escape
 * u8  scale       frequency bits, a to 15: each used context's frequencies sum to 2^scale
 * u32 T           table bytes, then T bytes: per context 0 .. C − 1 (C = 1 for model 0, else a + 1),
 *                 2^a frequencies as varints, a zero followed by a varint count of further zeros;
 *                 a context sums to 2^scale or to 0 (unused)
 * u32 E           escape bytes, then E bytes: per escape in order, varint (code − (2^a − 1))
 * rest            rANS, symbol i coded by state i % 2: u64 final state 0, u64 final state 1, then the
 *                 renormalization words (u32) in the order the decoder reads them
 * </pre>
 *
 * The previous symbols of code 0 (and 1) are 0. The decoder requires the state to end at
 * {@code 2^31} (both states) with every word read, so damage that still decodes to in-range symbols is caught.
 * Decoding is bounded by the section's length; tables are bounded by the alphabet, never by a
 * count read from the stream.
 */
final class ContextRans {
  static final int MAX_ALPHABET_BITS = 12;
  static final int MAX_SCALE = 15;
  /**
   * The state's lower bound: a 64-bit state in [2^31, 2^63) renormalized by 32-bit words, so that a
   * symbol reads at most one word and the decoder's branch for it is rarely taken.
   */
  private static final long LOW = 1L << 31;
  private static final int FIXED = 3 + 4 + 4;
  /** At most one value in this many may escape from an alphabet smaller than the codes need. */
  private static final int ESCAPE_SHARE = 256;

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
    // The smallest alphabet that leaves at most one code in ESCAPE_SHARE to escape: an escape costs
    // a varint read apart, and a wider alphabet than the codes need costs table lookups that miss
    // the cache (vibration-like codes with one far outlier decoded at 35 rather than 120 M/s).
    int[] lengths = new int[65];
    int[] allOnes = new int[65];
    for (int i = 0; i < n; i++) {
      long c = codes[i];
      int l = 64 - Long.numberOfLeadingZeros(c);
      lengths[l]++;
      if ((c & (c + 1)) == 0) {
        allOnes[l]++;
      }
    }
    int narrowest = MAX_ALPHABET_BITS;
    for (int a = MAX_ALPHABET_BITS; a >= 1; a--) {
      // Codes from 2^a − 1 (the escape) up escape from an alphabet of a bits.
      long escaped = allOnes[a];
      for (int l = a + 1; l <= 64; l++) {
        escaped += lengths[l];
      }
      if (escaped <= n / ESCAPE_SHARE) {
        narrowest = a;
      }
    }
    Model best = null;
    for (int a = narrowest; a <= Math.min(MAX_ALPHABET_BITS, narrowest + 2); a++) {
      for (int model = 0; model <= 2; model++) {
        // Fewer frequency bits keep the decoder's slot tables smaller; more only where they save 0.3%.
        for (int scale = Math.min(MAX_SCALE, a + 1); scale <= Math.min(MAX_SCALE, a + 3); scale++) {
          Model m = new Model(model, a, scale, codes, n);
          if (best == null || m.bytes < best.bytes - (scale > best.scale ? best.bytes / 333 : 0)) {
            best = m;
          }
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

    Model(int model, int a, int scale, long[] codes, int n) {
      this.model = model;
      this.a = a;
      int alphabet = 1 << a;
      int escape = alphabet - 1;
      this.scale = scale;
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
      bytes = FIXED + table.length + escapeBytes + 16 + (long) Math.ceil(bits / 8);
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
      // rANS codes backwards, symbol i into state i % 2; each symbol emits at most one 32-bit word (scale ≤ 15 < 32).
      int[] rev = new int[n + 2];
      int at = rev.length;
      long[] x = {LOW, LOW};
      for (int i = n - 1; i >= 0; i--) {
        int s = symbols[i];
        int c = context(model, i > 0 ? symbols[i - 1] : 0, i > 1 ? symbols[i - 2] : 0);
        int f = freq[c][s];
        // 2^(63 - scale) · f; at f = 2^scale it wraps to 2^63, which no state reaches (unsigned compare).
        long bound = ((LOW >>> scale) << 32) * f;
        long state = x[i & 1];
        if (Long.compareUnsigned(state, bound) >= 0) {
          rev[--at] = (int) state;
          state >>>= 32;
        }
        x[i & 1] = ((state / f) << scale) + (state % f) + start[c][s];
      }
      int ransBytes = 16 + 4 * (rev.length - at);
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
      BlockFormat.putI64(out, p, x[0]);
      BlockFormat.putI64(out, p + 8, x[1]);
      for (int k = at; k < rev.length; k++) {
        BlockFormat.putI32(out, p + 16 + 4 * (k - at), rev[k]);
      }
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
    /** Per context, at the stride of its own 2^scale slots so that the used tables lie together, the symbol of each slot. */
    final short[] symbolOf = new short[(MAX_ALPHABET_BITS + 1) << MAX_SCALE];
    /** Per context and symbol: frequency in the high 16 bits, cumulative frequency below. */
    final int[] entry = new int[(MAX_ALPHABET_BITS + 1) << MAX_ALPHABET_BITS];
    private short[] symbols = new short[0];

    /** Scratch for a region's symbols; decoded regions are at most {@link BlockFormat#MAX_STREAM_BYTES}, checked before. */
    short[] symbols(int n) {
      if (symbols.length < n) {
        symbols = new short[n];
      }
      return symbols;
    }
  }

  private static final ThreadLocal<Tables> TABLES = ThreadLocal.withInitial(Tables::new);

  /**
   * Decodes a section of {@code length} bytes at {@code off} of {@code src} into {@code n} codes of
   * {@code b} bytes, written as byte planes (byte 0 of every code, then byte 1, ...) into
   * {@code planes}; returns {@code null}, or what is wrong with the section (with its offset
   * within the section).
   */
  static String decode(byte[] src, int off, int length, int n, int b, byte[] planes) {
    if (length < FIXED + 16) {
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
    if (tableBytes > length - FIXED - 16) {
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
      int base = c << a;
      int rewind = pos[0];
      long sum = 0;
      for (int s = 0; s < alphabet; ) {
        long f = varint(src, pos, tableEnd);
        if (pos[0] < 0) {
          return "entropy table of context " + c + " ends early";
        }
        if (f > total) {
          return "entropy frequency " + f + " above 2^" + scale + " in context " + c + " (at +" + (pos[0] - off) + ")";
        }
        t.entry[base + s] = (int) (f << 16 | sum & 0xFFFF);
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
          s += (int) run;
        }
      }
      if (sum > total || sum > 0 && sum < total) {
        return "entropy frequencies of context " + c + " sum to " + sum + ", not 2^" + scale;
      }
      int slots = c << scale;
      if (sum == 0) {
        // Unused: symbol 0 of frequency 2^scale, a valid table that a sound stream never reaches.
        t.entry[base] = total << 16;
        Arrays.fill(t.symbolOf, slots, slots + total, (short) 0);
        continue;
      }
      pos[0] = rewind;
      for (int s = 0; s < alphabet; ) {
        long f = varint(src, pos, tableEnd);
        if (f == 0) {
          s += 1 + (int) varint(src, pos, tableEnd);
        } else {
          int from = t.entry[base + s] & 0xFFFF;
          Arrays.fill(t.symbolOf, slots + from, slots + from + (int) f, (short) s);
          s++;
        }
      }
    }
    if (pos[0] != tableEnd) {
      return "entropy tables end at +" + (pos[0] - off) + ", not at their length's +" + (tableEnd - off);
    }
    long escapeBytes = Integer.toUnsignedLong(BlockFormat.i32(src, tableEnd));
    if (escapeBytes > end - tableEnd - 20) {
      return "entropy escapes of " + escapeBytes + " bytes exceed the section (at +" + (tableEnd - off) + ")";
    }
    int escStart = tableEnd + 4;
    int escEnd = escStart + (int) escapeBytes;
    if (end - escEnd < 16 || (end - escEnd) % 4 != 0) {
      return "rANS data of " + (end - escEnd) + " bytes is not two states and 32-bit words (at +" + (escEnd - off) + ")";
    }
    long x0 = BlockFormat.i64(src, escEnd);
    long x1 = BlockFormat.i64(src, escEnd + 8);
    if (x0 < LOW || x1 < LOW) {
      return "rANS states " + Long.toUnsignedString(x0) + ", " + Long.toUnsignedString(x1) + " out of range (at +"
          + (escEnd - off) + ")";
    }
    short[] symbols = t.symbols(n);
    long[] states = {x0, x1};
    int words = symbols(src, escEnd + 16, end, model, a, scale, t, states, symbols, n);
    if (words < 0) {
      return "rANS data ends early, at symbol " + (-words - 1) + " of " + n;
    }
    if (states[0] != LOW || states[1] != LOW || words != end) {
      return "rANS data does not end where its symbols do (states " + Long.toUnsignedString(states[0]) + ", "
          + Long.toUnsignedString(states[1]) + ", " + (end - words) + " bytes left)";
    }
    // Pass 2: codes, escapes and their width, into the planes.
    long limit = b == 8 ? -1L : (1L << (8 * b)) - 1;
    int direct = (int) Math.min(escape, limit + 1);
    int[] esc = {escStart};
    for (int from = 0; from < n; ) {
      // A run of symbols that are their own codes and fit the width, then one that is not.
      int i = from;
      while (i < n && symbols[i] < direct) {
        i++;
      }
      spread(symbols, from, i, planes, n, b);
      if (i == n) {
        break;
      }
      long code = symbols[i];
      if (code == escape) {
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
      from = i + 1;
    }
    if (esc[0] != escEnd) {
      return (escEnd - esc[0]) + " entropy escape bytes left over";
    }
    return null;
  }

  /**
   * Pass 1, the serial part: decodes {@code n} symbols from the words at {@code words}, two
   * states taking turns so that one state's arithmetic overlaps the other's lookups; returns the
   * offset after the last word read, or −(i + 1) where symbol i needs a word past {@code end}.
   * An unused context decodes as symbol 0 of frequency 2^scale, so damage runs on to the states'
   * check rather than branching here.
   */
  private static int symbols(byte[] src, int words, int end, int model, int a, int scale, Tables t, long[] states,
      short[] symbols, int n) {
    short[] symbolOf = t.symbolOf;
    int[] entry = t.entry;
    int mask = (1 << scale) - 1;
    long x0 = states[0];
    long x1 = states[1];
    int previous = 0;
    int before = 0;
    for (int i = 0; i < n; i += 2) {
      // Symbol i from state 0, then symbol i + 1 from state 1: one state's renormalization and
      // multiply run while the other's table lookups wait on the symbol before.
      int c = model == 0 ? 0 : 32 - Integer.numberOfLeadingZeros(model == 1 ? previous : Math.max(previous, before));
      int slot = (int) x0 & mask;
      int sym = symbolOf[(c << scale) + slot];
      int e = entry[(c << a) + sym];
      x0 = (e >>> 16) * (x0 >>> scale) + slot - (e & 0xFFFF);
      if (x0 < LOW) {
        if (words > end - 4) {
          return -i - 1;
        }
        x0 = x0 << 32 | word(src, words);
        words += 4;
      }
      symbols[i] = (short) sym;
      if (i + 1 == n) {
        break;
      }
      c = model == 0 ? 0 : 32 - Integer.numberOfLeadingZeros(model == 1 ? sym : Math.max(sym, previous));
      before = sym;
      slot = (int) x1 & mask;
      previous = symbolOf[(c << scale) + slot];
      e = entry[(c << a) + previous];
      x1 = (e >>> 16) * (x1 >>> scale) + slot - (e & 0xFFFF);
      if (x1 < LOW) {
        if (words > end - 4) {
          return -i - 2;
        }
        x1 = x1 << 32 | word(src, words);
        words += 4;
      }
      symbols[i + 1] = (short) previous;
    }
    states[0] = x0;
    states[1] = x1;
    return words;
  }

  private static long word(byte[] src, int at) {
    return (src[at] & 0xFFL) | (src[at + 1] & 0xFFL) << 8 | (src[at + 2] & 0xFFL) << 16 | (src[at + 3] & 0xFFL) << 24;
  }

  /** Symbols {@code [from, to)}, each its own code of {@code b} bytes, into the planes. */
  private static void spread(short[] symbols, int from, int to, byte[] planes, int n, int b) {
    for (int i = from; i < to; i++) {
      planes[i] = (byte) symbols[i];
    }
    if (b > 1) {
      for (int i = from; i < to; i++) {
        planes[n + i] = (byte) (symbols[i] >>> 8);
      }
      for (int j = 2; j < b; j++) {
        Arrays.fill(planes, j * n + from, j * n + to, (byte) 0);
      }
    }
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
