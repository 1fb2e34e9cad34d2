package io.lazyq.format;

import io.lazyq.LazyQFormatException;
import io.lazyq.storage.LocalInputFile;
import io.lazyq.storage.RangeReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Checks every byte of a {@code .lzq} file that carries a checksum, and every structure a reader
 * relies on, reporting all the damage it finds rather than stopping at the first.
 *
 * <p>Two passes, since each can see what the other cannot. The <b>frame pass</b> reads the file
 * front to back as a stream reader would: the file header, each frame header, each payload's
 * CRC32C and each chunk descriptor; it stops at a frame header it cannot trust, since the header
 * holds the length that finds the next frame. The <b>index pass</b> reads the file as a
 * random-access reader would: trailer, footer, and then every column chunk the footer lists, with
 * its CRC32C and its structure (offsets, quantized blocks), so that damage is named by chunk and
 * column; it also finds a footer entry that disagrees with its chunk frame.
 */
public final class LzqCheck {
  /** Bytes read at a time while a payload's CRC32C is computed, so that a chunk is never held whole. */
  private static final int STEP = 1 << 20;

  private LzqCheck() {}

  /**
   * One thing wrong with a file.
   *
   * @param file the file
   * @param chunk the chunk it lies in, or -1
   * @param column the column it lies in, or {@code null}
   * @param offset the absolute offset at which it was found, or {@link LazyQFormatException#NO_OFFSET}
   * @param problem what is wrong
   */
  public record Damage(String file, int chunk, String column, long offset, String problem) {
    static Damage of(LazyQFormatException e, int chunk, String column) {
      return new Damage(e.source(), chunk, column, e.offset(), e.problem());
    }

    @Override
    public String toString() {
      return file + ": damaged at " + (offset == LazyQFormatException.NO_OFFSET ? "an unknown offset" : "offset " + offset)
          + (chunk >= 0 ? ", chunk " + chunk : "") + (column != null ? ", column '" + column + "'" : "") + ": " + problem;
    }
  }

  /**
   * What a check found.
   *
   * @param file the file checked
   * @param bytes its size
   * @param frames frames whose header and payload checksum were checked
   * @param columnChunks column chunks whose checksum and structure were checked
   * @param chunks the chunks the footer (or, for a file still being written, its frames) lists
   * @param rows the rows of those chunks
   * @param growing whether the file was opened for append and has no footer yet: not damage
   * @param damages everything wrong, in the order found; empty for an intact file
   */
  public record Report(String file, long bytes, int frames, int columnChunks, int chunks, long rows, boolean growing,
      List<Damage> damages) {
    public Report {
      damages = List.copyOf(damages);
    }

    public boolean intact() {
      return damages.isEmpty();
    }

    /** One line saying what was checked. */
    public String summary() {
      return String.format("%s: %s: %,d bytes, %,d frames, %,d chunks, %,d rows, %,d column chunks checked%s", file,
          intact() ? "intact" : damages.size() + (damages.size() == 1 ? " damage" : " damages"), bytes, frames, chunks,
          rows, columnChunks, growing ? "; still being written (opened for append, no footer yet)" : "");
    }
  }

  /** Checks a whole file. Only I/O errors throw; damage is reported. */
  public static Report check(Path path) throws IOException {
    String source = path.toString();
    Damages damages = new Damages();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = channel.size();
      FramePass frames = new FramePass(channel, source, size, damages);
      frames.run();
      IndexPass index = new IndexPass(path, frames.descriptors, damages);
      index.run(frames.appendable && !frames.sawFooter);
      return new Report(source, size, frames.frames, index.columnChunks, index.chunks, index.rows, index.growing,
          new ArrayList<>(damages.found.values()));
    }
  }

  /**
   * Checks one chunk of an open file whole, before a reader uses it: its frame header, its
   * payload's CRC32C, that its descriptor is the one the index holds, and every column's CRC32C
   * and structure. Throws at the first damage.
   */
  public static void checkChunk(LzqFile file, int ordinal) throws IOException {
    ChunkDescriptor expected = file.index().chunk(ordinal);
    String source = file.location();
    // Through the file's own reader, so that a remote file (on HDFS, an object store) is checked too.
    RangeReader reader = file.reader();
    long at = expected.frameOffset();
    FrameHeader frame = FrameHeader.decode(reader.read(at, FileLayout.FRAME_HEADER_BYTES), source, at,
        expected.payloadLength());
    if (frame.type() != FrameType.CHUNK || frame.sequence() != ordinal
        || frame.payloadLength() != expected.payloadLength()) {
      throw new LazyQFormatException(source, at, "the frame here is not chunk " + ordinal + " as the index lists it");
    }
    checkPayload(reader, frame, at, source);
    ChunkDescriptor found = readDescriptor(reader, frame, at, file.schema(), ordinal, expected.firstRow(), source);
    if (!found.equals(expected)) {
      throw new LazyQFormatException(source, at + FileLayout.FRAME_HEADER_BYTES, "chunk " + ordinal
          + "'s descriptor differs from the index's entry for it");
    }
    for (int c = 0; c < file.schema().size(); c++) {
      checkColumn(file, ordinal, c);
    }
  }

  /**
   * Maps one column chunk, which checks its CRC32C and structure, checks every block of its block
   * encodings (a reader checks a block when it first reads it), and lets it go.
   */
  private static void checkColumn(LzqFile file, int chunk, int column) throws IOException {
    try (ColumnView view = file.column(chunk, column)) {
      view.checkBlocks();
    }
  }

  private static void checkPayload(RangeReader reader, FrameHeader frame, long at, String source) throws IOException {
    CRC32C crc = new CRC32C();
    long from = at + FileLayout.FRAME_HEADER_BYTES;
    long end = from + frame.payloadLength();
    while (from < end) {
      int n = (int) Math.min(STEP, end - from);
      crc.update(reader.read(from, n));
      from += n;
    }
    if ((int) crc.getValue() != frame.payloadCrc()) {
      throw new LazyQFormatException(source, at + FileLayout.FRAME_HEADER_BYTES,
          frame.type().name().toLowerCase(java.util.Locale.ROOT) + " frame payload checksum mismatch");
    }
  }

  private static ChunkDescriptor readDescriptor(RangeReader reader, FrameHeader frame, long at, Schema schema,
      int ordinal, long firstRow, String source) throws IOException {
    int bytes = (int) Math.min(frame.payloadLength(), ChunkDescriptor.bytes(schema.size()));
    ByteBuffer head = reader.read(at + FileLayout.FRAME_HEADER_BYTES, bytes).order(ByteOrder.LITTLE_ENDIAN);
    return ChunkDescriptor.decode(head, frame.payloadLength(), schema, ordinal, at, firstRow, source);
  }

  /**
   * Damage found so far, one per place: both passes meet damage to the header, the schema, the
   * footer and the end of a cut file, and the first to find it says what it is.
   */
  private static final class Damages {
    final Map<List<Object>, Damage> found = new LinkedHashMap<>();

    void add(Damage d) {
      found.putIfAbsent(List.of(d.offset(), d.chunk(), String.valueOf(d.column())), d);
    }
  }

  /** Front to back, frame by frame, as far as frame headers can be trusted. */
  private static final class FramePass {
    private final FileChannel channel;
    private final RangeReader reader;
    private final String source;
    private final long size;
    private final Damages damages;
    /** The chunk descriptors in the chunk frames, by ordinal; null where a frame was unreadable. */
    final List<ChunkDescriptor> descriptors = new ArrayList<>();
    boolean appendable;
    boolean sawFooter;
    int frames;

    FramePass(FileChannel channel, String source, long size, Damages damages) {
      this.channel = channel;
      this.reader = new LocalInputFile.Reader(channel, source);
      this.source = source;
      this.size = size;
      this.damages = damages;
    }

    void run() throws IOException {
      if (size < FileLayout.FILE_HEADER_BYTES) {
        damages.add(new Damage(source, -1, null, size, "cut short: " + size + " bytes, less than the "
            + FileLayout.FILE_HEADER_BYTES + "-byte file header"));
        return;
      }
      ByteBuffer header = FileMetadata.read(channel, 0, FileLayout.FILE_HEADER_BYTES, source);
      try {
        appendable = FileLayout.checkFileHeader(header, source).appendable();
      } catch (LazyQFormatException e) {
        damages.add(Damage.of(e, -1, null));
        byte[] magic = new byte[8];
        header.get(0, magic);
        if (!FileLayout.hasMagic(magic)) {
          return; // not a LazyQ file at all: nothing further means anything
        }
        appendable = (header.getInt(12) & FileLayout.FLAG_APPENDABLE) != 0;
      }
      Schema schema = null;
      long rows = 0;
      long at = FileLayout.FILE_HEADER_BYTES;
      while (!sawFooter) {
        if (at + FileLayout.FRAME_HEADER_BYTES > size) {
          if (!appendable) {
            damages.add(new Damage(source, -1, null, Math.min(at, size), "cut short: the file ends at offset " + size
                + (at >= size ? " where a frame should begin" : " inside a frame header") + (schema == null ? ""
                : "; " + descriptors.size() + " chunk frames came before") + ", and no footer"));
          }
          return;
        }
        FrameHeader frame;
        try {
          frame = FrameHeader.decode(FileMetadata.read(channel, at, FileLayout.FRAME_HEADER_BYTES, source), source,
              at, Long.MAX_VALUE);
        } catch (LazyQFormatException e) {
          damages.add(Damage.of(e, schema == null ? -1 : descriptors.size(), null));
          return; // its length cannot be trusted, so the next frame cannot be found
        }
        int chunk = frame.type() == FrameType.CHUNK ? descriptors.size() : -1;
        long payloadAt = at + FileLayout.FRAME_HEADER_BYTES;
        if (frame.payloadLength() > size - payloadAt) {
          if (!appendable) {
            damages.add(new Damage(source, chunk, null, at, "cut short: the " + frame.type().name().toLowerCase(
                java.util.Locale.ROOT) + " frame here needs " + frame.payloadLength() + " bytes of payload; the file"
                + " ends at offset " + size));
          }
          return;
        }
        frames++;
        try {
          checkPayload(reader, frame, at, source);
        } catch (LazyQFormatException e) {
          damages.add(Damage.of(e, chunk, null));
        }
        try {
          if (schema == null) {
            if (frame.type() != FrameType.SCHEMA) {
              throw new LazyQFormatException(source, at + 4, "the first frame is a " + frame.type() + " frame, not the schema");
            }
            schema = FileMetadata.readHead(channel, size, source).schema();
          } else if (frame.type() == FrameType.CHUNK) {
            if (frame.sequence() != chunk) {
              throw new LazyQFormatException(source, at + 24, "chunk frame numbered " + frame.sequence()
                  + " where chunk " + chunk + " was expected");
            }
            descriptors.add(null); // unreadable until decoded below
            ChunkDescriptor d = readDescriptor(reader, frame, at, schema, chunk, rows, source);
            descriptors.set(chunk, d);
            rows += d.rows();
          } else if (frame.type() == FrameType.FOOTER) {
            sawFooter = true;
          } else {
            throw new LazyQFormatException(source, at + 4, "unexpected " + frame.type() + " frame among the chunks");
          }
        } catch (LazyQFormatException e) {
          damages.add(Damage.of(e, chunk, null));
          if (schema == null) {
            return; // without the schema no chunk descriptor can be read
          }
        }
        at = frame.nextFrameOffset(at);
      }
    }
  }

  /** Through the trailer and footer, then every column chunk they list. */
  private static final class IndexPass {
    private final Path path;
    private final List<ChunkDescriptor> framed;
    private final Damages damages;
    int columnChunks;
    int chunks;
    long rows;
    boolean growing;

    IndexPass(Path path, List<ChunkDescriptor> framed, Damages damages) {
      this.path = path;
      this.framed = framed;
      this.damages = damages;
    }

    /** @param maybeGrowing whether the file was opened for append and the frame pass met no footer */
    void run(boolean maybeGrowing) throws IOException {
      LzqFile file;
      try {
        file = maybeGrowing ? LzqFile.openAppending(path) : LzqFile.open(path);
      } catch (LazyQFormatException e) {
        damages.add(Damage.of(e, -1, null));
        return;
      }
      try (file) {
        growing = maybeGrowing;
        chunks = file.index().size();
        rows = file.rowCount();
        Schema schema = file.schema();
        for (int k = 0; k < chunks; k++) {
          ChunkDescriptor listed = file.index().chunk(k);
          if (k < framed.size() && framed.get(k) != null && !framed.get(k).equals(listed)) {
            damages.add(new Damage(path.toString(), k, null, listed.frameOffset(), "the footer's entry for chunk "
                + k + " differs from the descriptor in its frame"));
          }
          for (int c = 0; c < schema.size(); c++) {
            columnChunks++;
            try {
              checkColumn(file, k, c);
            } catch (LazyQFormatException e) {
              damages.add(Damage.of(e, k, schema.field(c).name()));
            }
          }
        }
      }
    }
  }
}
