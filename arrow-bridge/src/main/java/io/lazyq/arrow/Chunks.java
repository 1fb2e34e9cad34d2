package io.lazyq.arrow;

import io.lazyq.format.ColumnView;
import io.lazyq.format.LzqFile;
import io.lazyq.format.LzqStream;
import io.lazyq.format.Schema;
import java.io.Closeable;
import java.io.IOException;

/** The chunks of a mapped file or of a stream, one at a time, and their columns. */
interface Chunks extends Closeable {
  Schema schema();

  /** Moves to the next chunk; {@code false} after the last. */
  boolean next() throws IOException;

  int rows();

  /** A view of one column of the current chunk; the caller closes it before {@link #next()}. */
  ColumnView column(int ordinal) throws IOException;

  /** Values of a column in the whole input, or -1 where unknown before the end (a stream). */
  long values(int ordinal);

  static Chunks of(LzqFile file) {
    return new Chunks() {
      private int chunk = -1;

      @Override
      public Schema schema() {
        return file.schema();
      }

      @Override
      public boolean next() {
        return ++chunk < file.index().size();
      }

      @Override
      public int rows() {
        return file.index().chunk(chunk).rows();
      }

      @Override
      public ColumnView column(int ordinal) throws IOException {
        return file.column(chunk, ordinal);
      }

      @Override
      public long values(int ordinal) {
        long n = 0;
        for (int i = 0; i < file.index().size(); i++) {
          n += file.index().chunk(i).column(ordinal).valueCount();
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        file.close();
      }
    };
  }

  static Chunks of(LzqStream stream) {
    return new Chunks() {
      @Override
      public Schema schema() {
        return stream.schema();
      }

      @Override
      public boolean next() throws IOException {
        return stream.next();
      }

      @Override
      public int rows() {
        return stream.chunk().rows();
      }

      @Override
      public ColumnView column(int ordinal) throws IOException {
        return stream.column(ordinal);
      }

      @Override
      public long values(int ordinal) {
        return -1;
      }

      @Override
      public void close() throws IOException {
        stream.close();
      }
    };
  }
}
