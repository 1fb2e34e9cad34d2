package io.lazyq.storage;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * A file on a Hadoop file system. Where the file system renames atomically (HDFS), the bytes go to
 * a hidden temporary name that {@link FileContext#rename} publishes; on an object store the upload
 * goes straight to the final name, which the store makes visible only when the stream closes, and
 * an aborted upload is discarded.
 */
final class HadoopOutputFile implements OutputFile {
  /** S3A's conditional create: {@code If-None-Match: *}, refused atomically when the key exists. */
  static final String CONDITIONAL_CREATE = "fs.option.create.conditional.overwrite";

  private final FileSystem fs;
  private final Path path;
  private final String location;

  HadoopOutputFile(FileSystem fs, Path path, String location) {
    this.fs = fs;
    this.path = path;
    this.location = location;
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public PendingFile create() throws IOException {
    return HadoopStorage.renamesAtomically(fs) ? renamed(true) : direct(false);
  }

  @Override
  public PendingFile createIfAbsent() throws IOException {
    return HadoopStorage.renamesAtomically(fs) ? renamed(false) : direct(true);
  }

  private PendingFile renamed(boolean replace) throws IOException {
    Path temp = new Path(path.getParent(), "." + path.getName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
        + ".tmp");
    FSDataOutputStream out;
    try {
      out = fs.create(temp, false);
    } catch (IOException e) {
      throw HadoopStorage.named(location, e);
    }
    return new Pending(out) {
      @Override
      void publish() throws IOException {
        try {
          FileContext.getFileContext(fs.getUri(), fs.getConf())
              .rename(temp, path, replace ? Options.Rename.OVERWRITE : Options.Rename.NONE);
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
          fs.delete(temp, false);
          throw new FileAlreadyExistsException(location);
        } catch (IOException e) {
          fs.delete(temp, false);
          throw e;
        }
      }

      @Override
      void discard() throws IOException {
        fs.delete(temp, false);
      }
    };
  }

  private PendingFile direct(boolean ifAbsent) throws IOException {
    FSDataOutputStream out;
    try {
      out = ifAbsent ? (FSDataOutputStream) fs.createFile(path).overwrite(false).must(CONDITIONAL_CREATE, true).build()
          : fs.create(path, true);
    } catch (IOException e) {
      throw HadoopStorage.named(location, e);
    }
    return new Pending(out) {
      @Override
      void publish() {}

      @Override
      void discard() throws IOException {
        fs.delete(path, false); // a store that cannot abort an upload published it on close
      }
    };
  }

  /** The stream's life: written, then closed and published, or abandoned. */
  private abstract class Pending implements PendingFile {
    private final FSDataOutputStream out;
    private final WritableByteChannel channel;
    private boolean done;

    Pending(FSDataOutputStream out) {
      this.out = out;
      this.channel = Channels.newChannel(out);
    }

    /** After the stream closed: makes the bytes visible under the final name. */
    abstract void publish() throws IOException;

    /** After the stream was abandoned: removes what it left. */
    abstract void discard() throws IOException;

    @Override
    public WritableByteChannel channel() {
      return channel;
    }

    @Override
    public void commit() throws IOException {
      if (done) {
        throw new IllegalStateException(location + " was already committed or aborted");
      }
      done = true;
      try {
        out.close(); // an object store completes the upload here, a conditional one may refuse it
        publish();
      } catch (IOException e) {
        if (HadoopStorage.isConflict(e)) {
          throw new FileAlreadyExistsException(location);
        }
        throw HadoopStorage.named(location, e);
      }
    }

    @Override
    public void abort() throws IOException {
      if (done) {
        return;
      }
      done = true;
      if (out.hasCapability(StreamCapabilities.ABORTABLE_STREAM)) {
        out.abort(); // the upload is dropped: nothing of it becomes visible
      } else {
        out.close();
        discard();
      }
    }
  }
}
