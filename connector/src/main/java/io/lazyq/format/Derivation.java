package io.lazyq.format;

import io.lazyq.LazyQFormatException;
import io.lazyq.lossless.BlockDecoder;
import io.lazyq.lossless.ValueKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A float32 column stored as a function of other columns of its chunk
 * ({@link ColumnEncoding.Lossless#DERIVED}): the values a rule predicts from the sources are not
 * stored, only the rows where the prediction is missing or wrong, as C3's cross-column schemes do.
 * Real sensor tables hold such columns: a relative humidity computed from dew point and temperature
 * and rounded per station, a cumulated precipitation that is the running sum of the hourly one.
 *
 * <p>Rules:
 * <ul>
 *   <li>{@link Rule#LOOKUP}: a table from the sources' values in a row (the key: float32 bits, or a
 *       string's ordinal of first appearance in the chunk, -1 for null) to the value last seen with
 *       that key, filled as rows are read. A row whose key is new takes the next explicit value; so
 *       does a row listed as a mismatch, whose value replaces the key's.
 *   <li>{@link Rule#RUNNING_SUM}: {@code 0} where the source is zero, else the previous row's value
 *       (0 before the first) plus the source's, in float arithmetic. Only mismatches take explicit values.
 * </ul>
 *
 * <p>The values buffer of such a column chunk, little-endian (its decoded length is 4 bytes a row):
 * <pre>
 * u8   rule            1 LOOKUP, 2 RUNNING_SUM
 * u8   sources         1..3 (RUNNING_SUM: 1)
 * u16  ordinal         each source's column in the schema: float32 or utf8, not a list, not derived
 * u32  mismatches      rows listed, at most the chunk's rows
 * u32  explicit        values stored, at most the chunk's rows
 * u32  mismatchBytes   length of the mismatch rows' block encoding (int32, increasing)
 * u32  explicitBytes   length of the explicit values' block encoding (float32)
 * ...  mismatch rows   {@link BlockDecoder} region of int32
 * ...  explicit values {@link BlockDecoder} region of float32, in the order rows take them
 * </pre>
 * Under an error bound the explicit values of a lookup are block encodings under the bound, and every
 * value is one of them: within the bound of the row's own. A running sum's are exact.
 */
final class Derivation {
  /** How a derived column's values follow from its sources. */
  enum Rule {
    LOOKUP(1),
    RUNNING_SUM(2);

    final int id;

    Rule(int id) {
      this.id = id;
    }

    static Rule byId(int id) {
      for (Rule r : values()) {
        if (r.id == id) {
          return r;
        }
      }
      return null;
    }
  }

  static final int MAX_SOURCES = 3;

  private final Rule rule;
  private final int[] sources;

  Derivation(Rule rule, int[] sources) {
    if (sources.length < 1 || sources.length > MAX_SOURCES || rule == Rule.RUNNING_SUM && sources.length != 1) {
      throw new IllegalArgumentException(rule + " with " + sources.length + " sources");
    }
    this.rule = rule;
    this.sources = sources.clone();
  }

  Rule rule() {
    return rule;
  }

  int[] sources() {
    return sources.clone();
  }

  /** {@code lookup(DEWP,TEMP)}: how {@code lazyq inspect} names it. */
  String describe(Schema schema) {
    StringBuilder s = new StringBuilder(rule == Rule.LOOKUP ? "lookup(" : "running-sum(");
    for (int i = 0; i < sources.length; i++) {
      s.append(i == 0 ? "" : ",").append(schema.field(sources[i]).name());
    }
    return s.append(')').toString();
  }

  private int headerBytes() {
    return 2 + 2 * sources.length + 16;
  }

  /** Whether a column can be a source: float32 or utf8, not a list. */
  static boolean canSource(Field f) {
    return !f.type().isList() && (f.type().kind() == ColumnType.Kind.FLOAT32 || f.type().kind() == ColumnType.Kind.UTF8);
  }

  /**
   * Whether a column's chunks may be stored derived, as a reader checks it: float32, not a list, plain
   * or under an error bound, asking for block encodings (lossless stage 3 in the schema).
   */
  static boolean canDerive(Field f) {
    return !f.type().isList() && f.type().kind() == ColumnType.Kind.FLOAT32 && f.encoding().lossless().blocks()
        && (!f.encoding().isQuantized() || LosslessStage.boundedBlocksApply(f));
  }

  /**
   * Whether a writer tries to derive a column's chunks: where its writer asked for size, with
   * {@code lossless=smallest} or an error bound under block encodings (not lightweight ones). A
   * derived chunk decodes whole when opened, its sources with it (PM2.5/weather's humidity from
   * three sources: 7.0-7.5 ms of CPU for 262,920 rows, 2.7 of them the sources), and a scan of
   * every float column of that file took 1.51x plain float32's CPU a row against 0.93x for the
   * default (docs/BENCHMARKS.md, "Derived columns"): lossless columns ask for it, as they ask for
   * rANS, only by choice.
   */
  static boolean writerDerives(Field f) {
    ColumnEncoding.Lossless l = f.encoding().lossless();
    return canDerive(f) && (l == ColumnEncoding.Lossless.SMALLEST
        || f.encoding().isQuantized() && l == ColumnEncoding.Lossless.BLOCKS);
  }

  // ---- writing ----

  /** What a writer stores for a derived column chunk. */
  record Encoded(Derivation derivation, ByteBuffer values, float[] decoded) {}

  /**
   * Encodes {@code target} (float32 bits, one a row) under this derivation from the sources' key
   * ints; {@code bound} is the error bound of the explicit values of a lookup (0: exact). Returns the
   * values buffer and the values a reader will decode from it.
   */
  Encoded encode(int[][] keys, int[] target, int rows, double bound) {
    IntList mismatches = new IntList();
    IntList explicit = new IntList();
    if (rule == Rule.LOOKUP) {
      lookup(keys, target, rows, mismatches, explicit);
    } else {
      int[] source = keys[0];
      float previous = 0f;
      for (int i = 0; i < rows; i++) {
        if (Float.floatToRawIntBits(runningSum(previous, Float.intBitsToFloat(source[i]))) != target[i]) {
          mismatches.add(i);
          explicit.add(target[i]);
        }
        previous = Float.intBitsToFloat(target[i]);
      }
      bound = 0;
    }
    ByteBuffer positions = LosslessStage.encoder(ValueKind.INT32, 0, false).encode(mismatches.bytes(), mismatches.size);
    ByteBuffer values = LosslessStage.encoder(ValueKind.FLOAT32, bound, false).encode(explicit.bytes(), explicit.size);
    ByteBuffer out = ByteBuffer.allocate(headerBytes() + positions.remaining() + values.remaining())
        .order(ByteOrder.LITTLE_ENDIAN);
    out.put((byte) rule.id).put((byte) sources.length);
    for (int s : sources) {
      out.putShort((short) s);
    }
    out.putInt(mismatches.size).putInt(explicit.size).putInt(positions.remaining()).putInt(values.remaining());
    out.put(positions.duplicate()).put(values.duplicate()).flip();
    float[] decoded = new float[rows];
    try {
      decode(out.duplicate().order(ByteOrder.LITTLE_ENDIAN), (from, n, dst) -> {
        for (int i = 0; i < keys.length; i++) {
          System.arraycopy(keys[i], from, dst[i], 0, n);
        }
      }, rows, null, 0).asFloatBuffer().get(decoded);
    } catch (LazyQFormatException e) {
      throw new IllegalStateException("a derived column wrote a buffer it cannot read", e);
    }
    if (bound == 0) {
      for (int i = 0; i < rows; i++) {
        if (Float.floatToRawIntBits(decoded[i]) != target[i]) {
          throw new IllegalStateException("a derived column decodes row " + i + " differently");
        }
      }
    }
    return new Encoded(this, out, decoded);
  }

  /**
   * A lookup's explicit values over {@code rows} rows, a mismatch counting twice (its row is listed
   * too): what a writer compares candidates by on a sample.
   */
  long explicitCost(int[][] keys, int[] target, int rows) {
    return lookup(keys, target, rows, null, null);
  }

  /** Walks a lookup as a reader will, collecting the rows listed and the values stored where lists are given. */
  private static long lookup(int[][] keys, int[] target, int rows, IntList mismatches, IntList explicit) {
    KeyTable table = new KeyTable();
    long cost = 0;
    for (int i = 0; i < rows; i++) {
      int slot = table.find(keys, i);
      if (slot < 0) {
        table.insert(-slot - 1, keys, i, target[i]);
        cost++;
        if (explicit != null) {
          explicit.add(target[i]);
        }
      } else if (table.value(slot) != target[i]) {
        table.set(slot, target[i]);
        cost += 2;
        if (explicit != null) {
          mismatches.add(i);
          explicit.add(target[i]);
        }
      }
    }
    return cost;
  }

  /** A running sum's prediction: 0 where the source is zero (of either sign), else the sum. */
  private static float runningSum(float previous, float source) {
    return source == 0f ? 0f : previous + source;
  }

  // ---- reading ----

  /** Opens a sibling column of the same chunk, a derived column's source. */
  interface Sources {
    ColumnView open(int ordinal) throws java.io.IOException;
  }

  /** The derivation a stored values buffer names, checked against the schema. */
  static Derivation read(ByteBuffer stored, Schema schema, int self, String source, long offset)
      throws LazyQFormatException {
    ByteBuffer b = stored.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() < 2) {
      throw new LazyQFormatException(source, offset, "a derived column's buffer of " + b.remaining() + " bytes has no header");
    }
    int ruleId = b.get(0) & 0xFF;
    Rule rule = Rule.byId(ruleId);
    if (rule == null) {
      throw new LazyQFormatException(source, offset, "unknown derivation rule " + ruleId);
    }
    int count = b.get(1) & 0xFF;
    if (count < 1 || count > MAX_SOURCES || rule == Rule.RUNNING_SUM && count != 1) {
      throw new LazyQFormatException(source, offset + 1, rule + " with " + count + " sources");
    }
    if (b.remaining() < 2 + 2 * count + 16) {
      throw new LazyQFormatException(source, offset, "a derived column's header is cut short at " + b.remaining() + " bytes");
    }
    int[] sources = new int[count];
    for (int i = 0; i < count; i++) {
      int s = b.getShort(2 + 2 * i) & 0xFFFF;
      if (s >= schema.size() || s == self || !canSource(schema.field(s))
          || rule == Rule.RUNNING_SUM && schema.field(s).type().kind() != ColumnType.Kind.FLOAT32) {
        throw new LazyQFormatException(source, offset + 2 + 2 * i, "column " + s + " cannot be a source of "
            + rule + " for column " + self);
      }
      sources[i] = s;
    }
    return new Derivation(rule, sources);
  }

  /**
   * A derived column chunk's values as a reader sees them (float32, little-endian), and its
   * derivation, named for {@code lazyq inspect}.
   */
  record Values(ByteBuffer values, String summary) {}

  /** Rows decoded at a time: sources, listed rows and explicit values are read in pieces of this many. */
  private static final int PIECE = 4096;

  /**
   * Decodes column {@code self} of {@code chunk}, derived, from its region: reads its derivation,
   * opens its sources through {@code open} (each checked in the descriptor to be stored, not
   * derived, before it is opened) and replays the rule, reading the sources, listed rows and
   * explicit values a piece at a time. Besides the values (4 bytes a row), it holds one table
   * entry a distinct key.
   */
  static Values decode(ByteBuffer region, ChunkDescriptor chunk, Schema schema, int self, Sources open, String source,
      long regionOffset) throws java.io.IOException {
    ColumnChunk col = chunk.column(self);
    long at = regionOffset + col.values().offset();
    if (!col.values().isPresent() || col.values().end() > region.limit()) {
      throw new LazyQFormatException(source, at, "column '" + schema.field(self).name() + "' is derived but stores no header");
    }
    int rows = chunk.rows();
    if (col.values().decodedLength() != 4L * rows || 4L * rows > LosslessStage.MAX_DECODED_BYTES) {
      throw new LazyQFormatException(source, at, "a derived column of " + rows + " rows decodes to "
          + col.values().decodedLength() + " bytes" + (4L * rows > LosslessStage.MAX_DECODED_BYTES
              ? ", more than the " + LosslessStage.MAX_DECODED_BYTES + " a chunk may hold" : ""));
    }
    ByteBuffer stored = region.duplicate().position((int) col.values().offset()).limit((int) col.values().end()).slice()
        .order(ByteOrder.LITTLE_ENDIAN);
    Derivation d = read(stored, schema, self, source, at);
    for (int i = 0; i < d.sources.length; i++) {
      if (chunk.column(d.sources[i]).compression() == ColumnEncoding.Lossless.DERIVED) {
        throw new LazyQFormatException(source, at + 2 + 2 * i, "source '" + schema.field(d.sources[i]).name()
            + "' of column '" + schema.field(self).name() + "' is itself derived");
      }
    }
    ColumnView[] views = new ColumnView[d.sources.length];
    try {
      SourceKeys[] keys = new SourceKeys[views.length];
      for (int i = 0; i < views.length; i++) {
        views[i] = open.open(d.sources[i]);
        keys[i] = new SourceKeys(views[i]);
      }
      ByteBuffer out = d.decode(stored, (from, n, dst) -> {
        for (int i = 0; i < keys.length; i++) {
          keys[i].fill(from, n, dst[i]);
        }
      }, rows, source, at);
      Values values = new Values(out, d.describe(schema));
      io.lazyq.Closeables.closeAll(views);
      return values;
    } catch (Throwable e) {
      io.lazyq.Closeables.closeOnFailure(e, views);
      throw e;
    }
  }

  /** Fills the key ints of rows {@code [from, from + n)}, one array a source, from index 0. */
  interface KeyRows {
    void fill(int from, int n, int[][] dst);
  }

  /**
   * A source's key ints as a reader sees its values, a piece at a time: float32 bits, or a string's
   * ordinal of first appearance in the chunk (-1 for null).
   */
  private static final class SourceKeys {
    private final ColumnView view;
    private final float[] floats;
    private final int[] ordinal;
    private final Ordinals ordinals;
    private final ByteBuffer offsets;
    private final ByteBuffer bytes;
    private int next;

    SourceKeys(ColumnView view) {
      this.view = view;
      boolean floating = view.field().type().kind() == ColumnType.Kind.FLOAT32;
      this.floats = floating ? new float[PIECE] : null;
      boolean dictionary = !floating && view.hasDictionary();
      // Ids name distinct strings, so their order of first appearance is the strings'.
      this.ordinal = dictionary ? new int[view.dictionarySize()] : null;
      if (ordinal != null) {
        Arrays.fill(ordinal, -1);
      }
      this.ordinals = floating || dictionary ? null : new Ordinals();
      this.offsets = ordinals == null ? null : view.offsetsBuffer();
      this.bytes = ordinals == null ? null : view.valuesBuffer();
    }

    void fill(int from, int n, int[] dst) {
      if (floats != null) {
        view.readFloats(from, n, floats, 0);
        for (int i = 0; i < n; i++) {
          dst[i] = Float.floatToRawIntBits(floats[i]);
        }
        return;
      }
      for (int i = 0; i < n; i++) {
        int r = from + i;
        if (view.isNull(r)) {
          dst[i] = -1;
        } else if (ordinal != null) {
          int id = view.dictionaryId(r);
          if (ordinal[id] < 0) {
            ordinal[id] = next++;
          }
          dst[i] = ordinal[id];
        } else {
          dst[i] = ordinals.of(bytes, offsets.getInt(4 * r), offsets.getInt(4 * r + 4));
        }
      }
    }
  }

  /** Gives each distinct string its ordinal of first appearance: a utf8 source's key ints. */
  static final class Ordinals {
    private final java.util.HashMap<ByteBuffer, Integer> seen = new java.util.HashMap<>();

    /** The ordinal of the string in {@code bytes[from, to)}, relative to the buffer's position. */
    int of(ByteBuffer bytes, int from, int to) {
      if (from < 0 || to < from || to > bytes.remaining()) {
        throw new IllegalArgumentException("string bytes [" + from + ", " + to + ") of " + bytes.remaining());
      }
      ByteBuffer s = bytes.duplicate();
      s.position(bytes.position() + from).limit(bytes.position() + to);
      Integer o = seen.putIfAbsent(s.slice(), seen.size());
      return o == null ? seen.size() - 1 : o;
    }
  }

  /** Values of a block-encoded region read in order, a piece at a time. */
  private static final class Sequence {
    private final BlockDecoder decoder;
    private final long count;
    private final float[] floats;
    private final long[] longs;
    private long taken;
    private int at;
    private int filled;

    Sequence(BlockDecoder decoder, long count) {
      this.decoder = decoder;
      this.count = count;
      this.floats = decoder.kind() == ValueKind.FLOAT32 ? new float[(int) Math.min(PIECE, count)] : null;
      this.longs = floats == null ? new long[(int) Math.min(PIECE, count)] : null;
    }

    boolean hasNext() {
      return taken < count;
    }

    private void refill() {
      int n = (int) Math.min(PIECE, count - taken);
      if (floats != null) {
        decoder.readFloats(taken, n, floats, 0);
      } else {
        decoder.readLongs(taken, n, longs, 0);
      }
      at = 0;
      filled = n;
    }

    float nextFloat() {
      if (at == filled) {
        refill();
      }
      taken++;
      return floats[at++];
    }

    long nextLong() {
      if (at == filled) {
        refill();
      }
      taken++;
      return longs[at++];
    }

    long taken() {
      return taken;
    }

    void release() {
      decoder.release();
    }
  }

  /** The next listed row, checked to increase and to lie in the chunk, or {@code rows} past the last. */
  private static int nextListed(Sequence listed, int previous, int rows, String source, long offset)
      throws LazyQFormatException {
    if (!listed.hasNext()) {
      return rows;
    }
    long r = listed.nextLong();
    if (r < 0 || r >= rows || r <= previous) {
      throw new LazyQFormatException(source, offset, "mismatch " + (listed.taken() - 1) + " names row " + r + " of "
          + rows + (previous >= 0 ? " after row " + previous : ""));
    }
    return (int) r;
  }

  private ByteBuffer decode(ByteBuffer stored, KeyRows keyRows, int rows, String source, long offset)
      throws LazyQFormatException {
    ByteBuffer b = stored.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int at = 2 + 2 * sources.length;
    long mismatchCount = Integer.toUnsignedLong(b.getInt(at));
    long explicitCount = Integer.toUnsignedLong(b.getInt(at + 4));
    long positionBytes = Integer.toUnsignedLong(b.getInt(at + 8));
    long valueBytes = Integer.toUnsignedLong(b.getInt(at + 12));
    int header = headerBytes();
    if (mismatchCount > rows || explicitCount > rows || mismatchCount > explicitCount) {
      throw new LazyQFormatException(source, offset + at, "a derived column of " + rows + " rows lists "
          + mismatchCount + " mismatches and " + explicitCount + " explicit values");
    }
    if (header + positionBytes + valueBytes != b.remaining()) {
      throw new LazyQFormatException(source, offset + at + 8, "a derived column's parts of " + positionBytes + " and "
          + valueBytes + " bytes do not fill its " + (b.remaining() - header));
    }
    int valuesAt = header + (int) positionBytes;
    // Both regions' block tables are checked against their counts before anything is sized by them.
    Sequence listed = new Sequence(BlockDecoder.open(b.duplicate().position(header).limit(valuesAt).slice(),
        ValueKind.INT32, mismatchCount, source, offset + header), mismatchCount);
    Sequence explicit;
    try {
      explicit = new Sequence(BlockDecoder.open(b.duplicate().position(valuesAt).limit(valuesAt + (int) valueBytes).slice(),
          ValueKind.FLOAT32, explicitCount, source, offset + valuesAt), explicitCount);
    } catch (LazyQFormatException | RuntimeException e) {
      listed.release();
      throw e;
    }
    try {
      ByteBuffer out = ByteBuffer.allocate(4 * rows).order(ByteOrder.LITTLE_ENDIAN);
      java.nio.FloatBuffer outFloats = out.asFloatBuffer();
      int[][] keys = new int[sources.length][Math.min(PIECE, Math.max(rows, 1))];
      float[] piece = new float[keys[0].length];
      int nextListed = nextListed(listed, -1, rows, source, offset + header);
      KeyTable table = rule == Rule.LOOKUP ? new KeyTable() : null;
      float previous = 0f;
      for (int from = 0; from < rows; from += PIECE) {
        int n = Math.min(PIECE, rows - from);
        keyRows.fill(from, n, keys);
        for (int j = 0; j < n; j++) {
          int i = from + j;
          boolean isListed = i == nextListed;
          float v;
          if (table != null) {
            int slot = table.find(keys, j);
            if (slot >= 0 && !isListed) {
              piece[j] = Float.intBitsToFloat(table.value(slot));
              continue;
            }
            if (isListed && slot < 0) {
              throw new LazyQFormatException(source, offset + header, "mismatch " + (listed.taken() - 1) + " names row "
                  + i + ", whose key is new");
            }
            v = takeExplicit(explicit, i, source, offset + valuesAt);
            int bits = Float.floatToRawIntBits(v);
            if (slot < 0) {
              table.insert(-slot - 1, keys, j, bits);
            } else {
              table.set(slot, bits);
            }
          } else {
            v = isListed ? takeExplicit(explicit, i, source, offset + valuesAt)
                : runningSum(previous, Float.intBitsToFloat(keys[0][j]));
            previous = v;
          }
          if (isListed) {
            nextListed = nextListed(listed, i, rows, source, offset + header);
          }
          piece[j] = v;
        }
        outFloats.put(from, piece, 0, n);
      }
      if (explicit.hasNext() || listed.hasNext() || nextListed < rows) {
        throw new LazyQFormatException(source, offset + valuesAt, "a derived column stores " + explicitCount
            + " explicit values and " + mismatchCount + " listed rows, and its rows take " + explicit.taken()
            + " and " + (listed.taken() - (nextListed < rows ? 1 : 0)));
      }
      return out;
    } finally {
      listed.release();
      explicit.release();
    }
  }

  private static float takeExplicit(Sequence explicit, int row, String source, long offset) throws LazyQFormatException {
    if (!explicit.hasNext()) {
      throw new LazyQFormatException(source, offset, "row " + row + " needs an explicit value beyond the "
          + explicit.taken() + " stored");
    }
    return explicit.nextFloat();
  }

  /**
   * Open addressing from a key of one to three ints to an int, sized as keys arrive (at most one
   * a row, so never beyond twice the rows a reader already holds).
   */
  private static final class KeyTable {
    private long[] high = new long[1024];
    private int[] low = new int[1024];
    private int[] values = new int[1024];
    private boolean[] used = new boolean[1024];
    private int size;
    /**
     * Mixed into every hash, fresh for each table: only keys' equality decides what a table gives,
     * and a file cannot choose keys that collide in a table whose seed it does not know (with a
     * fixed hash, crafted keys made opening a 40,000-row chunk take 919 ms rather than 26, growing
     * with the square of the rows).
     */
    private final long seed = java.util.concurrent.ThreadLocalRandom.current().nextLong();

    private static long high(int[][] keys, int row) {
      long h = keys[0][row] & 0xFFFF_FFFFL;
      return keys.length > 1 ? h << 32 | keys[1][row] & 0xFFFF_FFFFL : h;
    }

    private static int low(int[][] keys, int row) {
      return keys.length > 2 ? keys[2][row] : 0;
    }

    /**
     * MurmurHash3's 64-bit finalizer over both parts: float bits of decimal readings have their
     * low mantissa bits zero, which a multiply alone leaves in the low bits a slot is taken from
     * (PM2.5/weather's humidity, 262,920 rows, opened in 35-41 ms with a multiply alone, 6 ms mixed).
     */
    private int hash(long high, int low) {
      long h = (high ^ seed) + (long) low * 0x9E37_79B9_7F4A_7C15L;
      h = (h ^ h >>> 33) * 0xFF51_AFD7_ED55_8CCDL;
      h = (h ^ h >>> 33) * 0xC4CE_B9FE_1A85_EC53L;
      return (int) (h ^ h >>> 33);
    }

    /** The slot holding the row's key, or {@code -(free slot) - 1}. */
    int find(int[][] keys, int row) {
      long h = high(keys, row);
      int l = low(keys, row);
      int mask = used.length - 1;
      for (int s = hash(h, l) & mask; ; s = s + 1 & mask) {
        if (!used[s]) {
          return -s - 1;
        }
        if (high[s] == h && low[s] == l) {
          return s;
        }
      }
    }

    int value(int slot) {
      return values[slot];
    }

    void set(int slot, int value) {
      values[slot] = value;
    }

    void insert(int slot, int[][] keys, int row, int value) {
      put(slot, high(keys, row), low(keys, row), value);
      if (++size * 2 > used.length) {
        grow();
      }
    }

    private void put(int slot, long h, int l, int value) {
      used[slot] = true;
      high[slot] = h;
      low[slot] = l;
      values[slot] = value;
    }

    private void grow() {
      long[] oldHigh = high;
      int[] oldLow = low;
      int[] oldValues = values;
      boolean[] oldUsed = used;
      int capacity = used.length * 2;
      high = new long[capacity];
      low = new int[capacity];
      values = new int[capacity];
      used = new boolean[capacity];
      int mask = capacity - 1;
      for (int s = 0; s < oldUsed.length; s++) {
        if (oldUsed[s]) {
          int t = hash(oldHigh[s], oldLow[s]) & mask;
          while (used[t]) {
            t = t + 1 & mask;
          }
          put(t, oldHigh[s], oldLow[s], oldValues[s]);
        }
      }
    }
  }

  /** A growing list of ints, written out little-endian for the block encoder. */
  private static final class IntList {
    private int[] values = new int[256];
    private int size;

    void add(int v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    ByteBuffer bytes() {
      ByteBuffer b = ByteBuffer.allocate(4 * size).order(ByteOrder.LITTLE_ENDIAN);
      b.asIntBuffer().put(values, 0, size);
      return b;
    }
  }
}
