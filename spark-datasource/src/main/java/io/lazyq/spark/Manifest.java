package io.lazyq.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lazyq.storage.PendingFile;
import io.lazyq.storage.Storage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code _lazyq_manifest.json}: the files of a table directory written before tables had a log
 * ({@code io.lazyq.table.TableLog}), which takes precedence and which such a table moves to on its
 * next write. When it exists and no log does, readers read exactly
 * the files it lists, so publishing a new manifest by atomic rename is the moment a write becomes
 * visible, whole; files not listed (a write in progress, or one killed before its manifest) are
 * never read. On an object store the manifest is replaced by a whole-object upload, which readers
 * see entirely or not at all, as they see a rename.
 */
final class Manifest {
  static final String NAME = "_lazyq_manifest.json";
  private static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Manifest() {}

  /** The files that the directory's manifest lists, in order, or empty when it has none. */
  static Optional<List<PartFile>> read(String dir, Storage storage) throws IOException {
    String file = Storage.resolve(dir, NAME);
    JsonNode root;
    try (InputStream in = storage.input(file).newStream()) {
      root = JSON.readTree(in);
    } catch (FileNotFoundException | NoSuchFileException absent) {
      return Optional.empty();
    }
    JsonNode files = root.path("files");
    if (root.path("version").asInt() != VERSION || !files.isArray()) {
      throw new IOException("lazyq: " + file + " is not a version " + VERSION + " manifest");
    }
    List<PartFile> listed = new ArrayList<>();
    for (JsonNode f : files) {
      String name = f.path("name").asText("");
      if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
        throw new IOException("lazyq: " + file + " lists an invalid file name '" + name + "'");
      }
      listed.add(new PartFile(name, f.path("rows").asLong(-1), f.path("bytes").asLong(-1)));
    }
    return Optional.of(listed);
  }

  /** Replaces the manifest atomically: readers see the previous list or this one, never a mix. */
  static void write(String dir, List<PartFile> files, String jobId, Storage storage) throws IOException {
    ObjectNode root = JSON.createObjectNode().put("version", VERSION).put("job", jobId);
    ArrayNode list = root.putArray("files");
    for (PartFile f : files) {
      list.addObject().put("name", f.name()).put("rows", f.rows()).put("bytes", f.bytes());
    }
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    try (PendingFile out = storage.output(Storage.resolve(dir, NAME)).create()) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        out.channel().write(b);
      }
      out.commit();
    }
  }
}
