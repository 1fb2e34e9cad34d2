package io.lazyq.format;

import io.lazyq.LazyQFormatException;
import io.lazyq.quant.QuantType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes the schema, chunk descriptors and the footer index. Decoding checks every
 * count against the bytes that remain before it allocates, and every offset against the frame
 * that holds it, so that no later reader has to trust the file.
 */
final class MetadataCodec {
  private static final int PLAIN_ENCODING = 0xFFFF;
  private static final int MAX_NAME_BYTES = 1 << 16;
  private static final int MAX_METADATA_BYTES = 1 << 24;
  /** Bytes of one encoded {@link ColumnChunk}; counts are checked against it before any allocation. */
  static final int COLUMN_CHUNK_BYTES = 8 + 8 + 4 + 1 + 8 + 8 + 1 + 8 + 8 + 3 * 24;
  private static final int FIELD_MIN_BYTES = 4 + 1 + 1 + 1 + 2 + 8 + 1;
  private static final int CHUNK_BODY_MIN_BYTES = 8;
  private static final int FOOTER_ENTRY_MIN_BYTES = 16 + CHUNK_BODY_MIN_BYTES;

  private MetadataCodec() {}

  // ---- schema ----

  static ByteBuffer encodeSchema(Schema schema) {
    BinaryOut out = new BinaryOut();
    out.u32(schema.size());
    for (Field f : schema.fields()) {
      out.string(f.name());
      out.u8(f.type().kind().id());
      out.u8(f.type().isList() ? f.type().element().id() : 0);
      out.u8(f.nullable() ? 1 : 0);
      out.u16(f.encoding().isQuantized() ? f.encoding().quant().formatId() : PLAIN_ENCODING);
      out.f64(f.encoding().errorBound());
      out.u8(f.encoding().lossless().id());
    }
    out.u32(schema.metadata().size());
    schema.metadata().forEach((k, v) -> out.string(k).string(v));
    return out.toBuffer();
  }

  static Schema decodeSchema(ByteBuffer payload, String source, long base) throws LazyQFormatException {
    BinaryIn in = new BinaryIn(payload, source, base);
    int count = (int) in.u32(in.remaining() / FIELD_MIN_BYTES, "column count");
    List<Field> fields = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long at = in.offset();
      String name = in.string(MAX_NAME_BYTES, "column name");
      ColumnType type = decodeType(in);
      boolean nullable = in.u8() != 0;
      ColumnEncoding encoding = decodeEncoding(in);
      try {
        fields.add(new Field(name, type, nullable, encoding));
      } catch (IllegalArgumentException e) {
        throw new LazyQFormatException(source, at, "column " + i + ": " + e.getMessage());
      }
    }
    int kvCount = (int) in.u32(in.remaining() / 8, "metadata entry count");
    Map<String, String> metadata = new LinkedHashMap<>();
    for (int i = 0; i < kvCount; i++) {
      metadata.put(in.string(MAX_NAME_BYTES, "metadata key"), in.string(MAX_METADATA_BYTES, "metadata value"));
    }
    try {
      return new Schema(fields, metadata);
    } catch (IllegalArgumentException e) {
      throw new LazyQFormatException(source, base, e.getMessage());
    }
  }

  private static ColumnType decodeType(BinaryIn in) throws LazyQFormatException {
    int kindId = in.u8();
    int elementId = in.u8();
    ColumnType.Kind kind = ColumnType.Kind.byId(kindId);
    if (kind == null) {
      throw in.error(-2, "unknown column type id " + kindId);
    }
    if (kind != ColumnType.Kind.LIST) {
      if (elementId != 0) {
        throw in.error(-1, "a " + kind + " column has an element type");
      }
      return ColumnType.of(kind);
    }
    ColumnType.Kind element = ColumnType.Kind.byId(elementId);
    if (element == null || !element.isListElement()) {
      throw in.error(-1, "list element type id " + elementId + " is not a fixed-width primitive");
    }
    return ColumnType.listOf(ColumnType.of(element));
  }

  private static ColumnEncoding decodeEncoding(BinaryIn in) throws LazyQFormatException {
    int quantId = in.u16();
    QuantType quant = null;
    if (quantId != PLAIN_ENCODING) {
      quant = QuantType.byFormatId(quantId).orElseThrow(() -> in.error(-2, "unknown block type id " + quantId));
    }
    double bound = in.f64();
    if (!Double.isNaN(bound) && !(bound > 0 && bound < Double.POSITIVE_INFINITY)) {
      throw in.error(-8, "error bound " + bound + " is not a positive number");
    }
    int losslessId = in.u8();
    ColumnEncoding.Lossless lossless = ColumnEncoding.Lossless.byId(losslessId);
    if (lossless == null || lossless == ColumnEncoding.Lossless.DERIVED) {
      throw in.error(-1, (lossless == null ? "unknown" : "a chunk's, not a column's,") + " lossless stage id " + losslessId);
    }
    return new ColumnEncoding(quant, bound, lossless);
  }

  // ---- chunk descriptors ----

  /** Where a chunk's column data starts in its payload: after the descriptor, aligned. */
  static long chunkDataStart(int columns) {
    return FileLayout.align(CHUNK_BODY_MIN_BYTES + (long) columns * COLUMN_CHUNK_BYTES);
  }

  static void encodeChunkBody(BinaryOut out, int rows, List<ColumnChunk> columns) {
    out.u32(rows);
    out.u32(columns.size());
    for (ColumnChunk c : columns) {
      out.u64(c.offset()).u64(c.length()).u32(c.crc32c()).u8(c.compression().id());
      out.u64(c.stats().nullCount()).u64(c.valueCount());
      boolean minMax = c.stats().hasMinMax();
      out.u8(minMax ? 1 : 0);
      out.u64(minMax ? bits(c.stats().min()) : 0).u64(minMax ? bits(c.stats().max()) : 0);
      for (BufferRef b : List.of(c.validity(), c.offsets(), c.values())) {
        out.u64(b.offset()).u64(b.length()).u64(b.decodedLength());
      }
    }
  }

  static ByteBuffer encodeChunkBody(int rows, List<ColumnChunk> columns) {
    BinaryOut out = new BinaryOut();
    encodeChunkBody(out, rows, columns);
    return out.toBuffer();
  }

  /**
   * Decodes a chunk's descriptor and checks it against its frame and the schema.
   *
   * @param payloadLength the chunk frame's payload length: every column must lie inside it
   */
  static ChunkDescriptor decodeChunkBody(BinaryIn in, Schema schema, int ordinal, long frameOffset,
      long payloadLength, long firstRow) throws LazyQFormatException {
    int rows = (int) in.u32(Integer.MAX_VALUE, "chunk row count");
    long columnCount = in.u32(Integer.MAX_VALUE, "chunk column count");
    if (columnCount != schema.size()) {
      throw in.error(-4, "chunk " + ordinal + " has " + columnCount + " columns, the schema " + schema.size());
    }
    if ((long) schema.size() * COLUMN_CHUNK_BYTES > in.remaining()) {
      throw in.error(0, "truncated: chunk " + ordinal + " describes " + schema.size() + " columns");
    }
    long dataStart = chunkDataStart(schema.size());
    List<ColumnChunk> columns = new ArrayList<>(schema.size());
    long previousEnd = 0;
    for (int i = 0; i < schema.size(); i++) {
      long at = in.offset();
      ColumnChunk c = decodeColumnChunk(in, schema.field(i), rows, payloadLength);
      if (c.length() > 0 && (c.offset() < Math.max(previousEnd, dataStart))) {
        throw new LazyQFormatException(in.source(), at,
            "chunk " + ordinal + " column '" + schema.field(i).name() + "' overlaps the descriptor or the previous column");
      }
      previousEnd = Math.max(previousEnd, c.end());
      columns.add(c);
    }
    return new ChunkDescriptor(ordinal, frameOffset, payloadLength, firstRow, rows, columns);
  }

  private static ColumnChunk decodeColumnChunk(BinaryIn in, Field field, int rows, long payloadLength)
      throws LazyQFormatException {
    String col = "column '" + field.name() + "'";
    long offset = in.u64(payloadLength, col + " offset");
    long length = in.u64(payloadLength - offset, col + " length");
    if (offset % FileLayout.ALIGNMENT != 0) {
      throw in.error(-16, col + " offset " + offset + " is not a multiple of " + FileLayout.ALIGNMENT);
    }
    int crc = in.u32Raw();
    int compressionId = in.u8();
    ColumnEncoding.Lossless compression = ColumnEncoding.Lossless.byId(compressionId);
    if (compression == null) {
      throw in.error(-1, col + ": unknown lossless stage id " + compressionId);
    }
    if (compression == ColumnEncoding.Lossless.DERIVED && !Derivation.canDerive(field)) {
      throw in.error(-1, col + " of " + field.type() + " as " + field.encoding() + " cannot be derived");
    }
    long nullCount = in.u64(rows, col + " null count");
    long valueCount = in.u64(Long.MAX_VALUE, col + " value count");
    boolean variable = field.type().isList() || field.type().kind() == ColumnType.Kind.UTF8;
    if (!variable && valueCount != rows) {
      throw in.error(-8, col + " holds " + valueCount + " values in a chunk of " + rows + " rows");
    }
    if (!field.nullable() && nullCount != 0) {
      throw in.error(-16, col + " is not nullable but counts " + nullCount + " nulls");
    }
    boolean minMax = in.u8() != 0;
    long minBits = in.u64Raw();
    long maxBits = in.u64Raw();
    ColumnStats stats = minMax
        ? new ColumnStats(nullCount, number(field.type(), minBits), number(field.type(), maxBits))
        : ColumnStats.nullsOnly(nullCount);
    BufferRef validity = decodeBuffer(in, length, col + " validity");
    BufferRef offsets = decodeBuffer(in, length, col + " offsets");
    BufferRef values = decodeBuffer(in, length, col + " values");
    if (compression == ColumnEncoding.Lossless.NONE
        && (validity.decodedLength() != validity.length() || offsets.decodedLength() != offsets.length()
            || values.decodedLength() != values.length())) {
      throw in.error(-72, col + ": a buffer's decoded length differs from its stored length without a lossless stage");
    }
    checkLayout(in, field, rows, valueCount, nullCount, validity, offsets, values);
    return new ColumnChunk(offset, length, crc, compression, valueCount, stats, validity, offsets, values);
  }

  /** The buffer sizes that a column's type and row count imply, checked before any byte is read. */
  private static void checkLayout(BinaryIn in, Field field, int rows, long valueCount, long nullCount,
      BufferRef validity, BufferRef offsets, BufferRef values) throws LazyQFormatException {
    String col = "column '" + field.name() + "'";
    long bitmap = (rows + 7L) / 8;
    if (validity.decodedLength() != 0 && validity.decodedLength() != bitmap || nullCount > 0 && validity.decodedLength() == 0) {
      throw in.error(-72, col + ": validity bitmap of " + validity.decodedLength() + " bytes for " + rows + " rows");
    }
    ColumnType type = field.type();
    boolean variable = type.isList() || type.kind() == ColumnType.Kind.UTF8;
    long expectedOffsets = variable ? 4L * (rows + 1) : 0;
    if (offsets.decodedLength() != expectedOffsets) {
      throw in.error(-48, col + ": offsets buffer of " + offsets.decodedLength() + " bytes, expected " + expectedOffsets);
    }
    if (variable && valueCount > Integer.MAX_VALUE) {
      throw in.error(-56 - 72, col + " holds " + valueCount + " values, more than int32 offsets address");
    }
    long expectedValues = -1;
    if (!field.encoding().isQuantized()) {
      ColumnType.Kind k = type.isList() ? type.element() : type.kind();
      if (k == ColumnType.Kind.BOOL) {
        expectedValues = (valueCount + 7) / 8;
      } else if (k.isFixedWidth()) {
        expectedValues = valueCount * k.width();
      }
    } else if (field.encoding().quant().isFixedSize()) {
      expectedValues = field.encoding().quant().byteSize(valueCount);
    }
    if (expectedValues >= 0 && values.decodedLength() != expectedValues) {
      throw in.error(-24, col + ": values buffer of " + values.decodedLength() + " bytes, expected " + expectedValues
          + " for " + valueCount + " values");
    }
    long end = 0;
    for (BufferRef b : new BufferRef[] {validity, offsets, values}) {
      if (b.isPresent()) {
        if (b.offset() < end) {
          throw in.error(0, col + ": its buffers overlap");
        }
        end = b.end();
      }
    }
  }

  private static BufferRef decodeBuffer(BinaryIn in, long regionLength, String what) throws LazyQFormatException {
    long offset = in.u64(regionLength, what + " offset");
    long length = in.u64(regionLength - offset, what + " length");
    long decoded = in.u64(Long.MAX_VALUE, what + " decoded length");
    if (offset % FileLayout.ALIGNMENT != 0) {
      throw in.error(-24, what + " offset " + offset + " is not a multiple of " + FileLayout.ALIGNMENT);
    }
    return new BufferRef(offset, length, decoded);
  }

  private static long bits(Number n) {
    return n instanceof Double || n instanceof Float
        ? Double.doubleToRawLongBits(n.doubleValue())
        : n.longValue();
  }

  private static Number number(ColumnType type, long bits) {
    ColumnType.Kind k = type.isList() ? type.element() : type.kind();
    return k == ColumnType.Kind.FLOAT32 || k == ColumnType.Kind.FLOAT64
        ? (Number) Double.longBitsToDouble(bits)
        : (Number) bits;
  }

  // ---- footer ----

  /** Marks the end of a 1.2 footer, which closes with a copy of the schema: {@code LQSC}. */
  static final int FOOTER_SCHEMA_TAG = 0x4353514C;
  /** What closes a 1.2 footer after the schema copy: u16 major, u16 minor, u32 copy length, u32 tag. */
  static final int FOOTER_SCHEMA_END_BYTES = 12;

  /**
   * The footer: the row count and each chunk's entry, then (since 1.2) the schema frame's payload
   * again and what finds it from the end, which readers before 1.2 leave unread.
   */
  static ByteBuffer encodeFooter(ChunkIndex index, Schema schema) {
    BinaryOut out = new BinaryOut();
    out.u64(index.rowCount());
    out.u32(index.size());
    for (ChunkDescriptor c : index.chunks()) {
      out.u64(c.frameOffset()).u64(c.payloadLength());
      encodeChunkBody(out, c.rows(), c.columns());
    }
    ByteBuffer copy = encodeSchema(schema);
    int copyBytes = copy.remaining();
    out.bytes(copy);
    out.u16(FileLayout.MAJOR_VERSION).u16(FileLayout.MINOR_VERSION).u32(copyBytes).u32(FOOTER_SCHEMA_TAG);
    return out.toBuffer();
  }

  /**
   * The schema copy that closes a 1.2 footer's payload, or null for a footer without one (an
   * older file). A copy that is there but does not decode, or a major version this reader does not
   * know, fails.
   */
  static ByteBuffer footerSchemaCopy(ByteBuffer payload, String source, long base) throws LazyQFormatException {
    ByteBuffer p = payload.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int end = p.limit();
    if (end < FOOTER_SCHEMA_END_BYTES + 12 || p.getInt(end - 4) != FOOTER_SCHEMA_TAG) {
      return null;
    }
    int major = p.getShort(end - 12) & 0xFFFF;
    if (major != FileLayout.MAJOR_VERSION) {
      throw new LazyQFormatException(source, base + end - 12, "format major version " + major
          + " is not supported; this reader reads version " + FileLayout.MAJOR_VERSION);
    }
    long copyBytes = p.getInt(end - 8) & 0xFFFFFFFFL;
    if (copyBytes > end - FOOTER_SCHEMA_END_BYTES - 12) {
      return null; // no room for it after the row and chunk counts: an older footer ending by chance in the tag
    }
    int from = (int) (end - FOOTER_SCHEMA_END_BYTES - copyBytes);
    return p.slice(from, (int) copyBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Decodes the footer and checks that chunk frames lie in file order, without overlap, between
   * the end of the schema frame and the footer frame.
   */
  static ChunkIndex decodeFooter(ByteBuffer payload, String source, long base, Schema schema,
      long firstChunkOffset, long footerOffset) throws LazyQFormatException {
    BinaryIn in = new BinaryIn(payload, source, base);
    long rowCount = in.u64(Long.MAX_VALUE, "row count");
    long perChunk = FOOTER_ENTRY_MIN_BYTES + (long) schema.size() * COLUMN_CHUNK_BYTES;
    int count = (int) in.u32(in.remaining() / perChunk, "chunk count");
    List<ChunkDescriptor> chunks = new ArrayList<>(count);
    long expectedOffset = firstChunkOffset;
    long rows = 0;
    for (int i = 0; i < count; i++) {
      long at = in.offset();
      long frameOffset = in.u64(footerOffset, "chunk " + i + " frame offset");
      if (frameOffset != expectedOffset) {
        throw new LazyQFormatException(source, at, "chunk " + i + " frame offset " + frameOffset
            + " is not where the previous frame ends (" + expectedOffset + ")");
      }
      long maxPayload = footerOffset - frameOffset - FileLayout.FRAME_HEADER_BYTES;
      long payloadLength = in.u64(Math.max(maxPayload, 0), "chunk " + i + " payload length");
      ChunkDescriptor c = decodeChunkBody(in, schema, i, frameOffset, payloadLength, rows);
      rows += c.rows();
      expectedOffset = FileLayout.align(frameOffset + FileLayout.FRAME_HEADER_BYTES + payloadLength);
      chunks.add(c);
    }
    if (expectedOffset != footerOffset) {
      throw new LazyQFormatException(source, base, "the chunks end at " + expectedOffset
          + " but the footer starts at " + footerOffset);
    }
    if (rows != rowCount) {
      throw new LazyQFormatException(source, base, "the footer counts " + rowCount + " rows, its chunks " + rows);
    }
    return new ChunkIndex(chunks, rowCount);
  }
}
