package io.lazyq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lazyq.LazyQFormatException;
import io.lazyq.format.ChunkDescriptor;
import io.lazyq.format.ColumnChunk;
import io.lazyq.format.ColumnStats;
import io.lazyq.format.Field;
import io.lazyq.format.FileMetadata;
import io.lazyq.format.Schema;
import io.lazyq.storage.RangeReader;
import io.lazyq.storage.Storage;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lazyq inspect}: a file's schema, chunks and statistics, from its index alone. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Show a file's schema, chunks, sizes, encodings and statistics, reading only its index.")
public final class InspectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "A .lzq, .gguf or .safetensors file; a .lzq file may be a URI (hdfs://, s3a://).")
  String location;

  @Mixin StorageOptions storage = new StorageOptions();

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Option(names = "--blocks", description = "Also read every column chunk of a local .lzq file and show the block schemes "
      + "its values use, as scheme=count (blocks of 1024 values; stream/... is a whole chunk in one stream).")
  boolean blocks;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    FileMetadata meta;
    if (Storage.isLocal(location)) {
      Path file = Path.of(location);
      InputKind kind = InputKind.of(file);
      if (kind != InputKind.LZQ) {
        return TensorInspect.print(file, out, json);
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        meta = FileMetadata.read(ch, file.toString());
      }
    } else {
      try (RangeReader reader = storage.storage().input(location).open()) {
        meta = FileMetadata.read(reader); // the file's tail, one request (its head too, before format 1.2)
      }
    }
    Map<String, Object> report = describe(meta);
    Map<String, String> schemes = blocks && Storage.isLocal(location) ? schemes(Path.of(location)) : Map.of();
    if (json) {
      List<?> columns = (List<?>) report.get("columns");
      for (Object c : columns) {
        @SuppressWarnings("unchecked")
        Map<String, Object> col = (Map<String, Object>) c;
        if (schemes.containsKey((String) col.get("name"))) {
          col.put("blocks", schemes.get((String) col.get("name")));
        }
      }
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
    } else {
      printTable(out, meta);
      if (!schemes.isEmpty()) {
        out.printf("%nblock schemes (chunk by chunk)%n");
        schemes.forEach((column, summary) -> out.printf("  %-20s %s%n", column, summary));
      }
    }
    out.flush();
    return LazyQ.OK;
  }

  static Map<String, Object> describe(FileMetadata meta) {
    Schema schema = meta.schema();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("format", "lzq");
    r.put("bytes", meta.fileSize());
    r.put("rows", meta.index().rowCount());
    r.put("chunks", meta.index().size());
    List<Object> columns = new ArrayList<>();
    for (int c = 0; c < schema.size(); c++) {
      Field f = schema.field(c);
      Map<String, Object> col = new LinkedHashMap<>();
      col.put("name", f.name());
      col.put("type", f.type().toString());
      col.put("nullable", f.nullable());
      col.put("encoding", f.encoding().isQuantized() ? f.encoding().quant().label() : "plain");
      if (f.encoding().hasErrorBound()) {
        col.put("errorBound", f.encoding().errorBound());
      }
      col.put("lossless", stages(meta, c));
      col.put("bytes", meta.index().columnBytes(c));
      col.put("bytesPerValue", bytesPerValue(meta, c));
      ColumnSummary s = ColumnSummary.of(meta, c);
      col.put("nulls", s.nulls);
      col.put("min", s.min);
      col.put("max", s.max);
      columns.add(col);
    }
    r.put("columns", columns);
    r.put("metadata", schema.metadata());
    List<Object> chunks = new ArrayList<>();
    for (ChunkDescriptor ch : meta.index().chunks()) {
      chunks.add(Map.of("ordinal", ch.ordinal(), "offset", ch.frameOffset(), "rows", ch.rows(),
          "bytes", ch.payloadLength()));
    }
    r.put("chunkList", chunks);
    return r;
  }

  private static void printTable(PrintWriter out, FileMetadata meta) {
    Schema schema = meta.schema();
    long rows = meta.index().rowCount();
    out.printf("format   lzq %d.%d%n", io.lazyq.format.FileLayout.MAJOR_VERSION, io.lazyq.format.FileLayout.MINOR_VERSION);
    out.printf("bytes    %,d%n", meta.fileSize());
    out.printf("rows     %,d%n", rows);
    out.printf("chunks   %,d%n", meta.index().size());
    out.printf("%n%-20s %-16s %-28s %14s %10s %10s  %-14s %-14s%n", "column", "type", "encoding", "bytes",
        "B/value", "nulls", "min", "max");
    for (int c = 0; c < schema.size(); c++) {
      Field f = schema.field(c);
      long bytes = meta.index().columnBytes(c);
      ColumnSummary s = ColumnSummary.of(meta, c);
      boolean ts = f.type().kind() == io.lazyq.format.ColumnType.Kind.TIMESTAMP_MICROS;
      String encoding = f.encoding().isQuantized() ? f.encoding().quant().label() : "plain";
      if (f.encoding().hasErrorBound()) {
        encoding += " (±" + f.encoding().errorBound() + ")";
      }
      Map<String, Integer> stages = stages(meta, c);
      if (!stages.isEmpty() && !stages.keySet().equals(Set.of("none"))) {
        StringBuilder with = new StringBuilder();
        stages.forEach((stage, n) -> with.append(with.length() == 0 ? "" : ",").append(stage)
            .append(stages.size() > 1 ? "×" + n : ""));
        encoding += "+" + with;
      }
      out.printf("%-20s %-16s %-28s %,14d %10.3f %,10d  %-14s %-14s%n", f.name(), f.type(), encoding, bytes,
          bytesPerValue(meta, c), s.nulls, show(s.min, ts), show(s.max, ts));
    }
    if (!schema.metadata().isEmpty()) {
      out.printf("%nmetadata%n");
      schema.metadata().forEach((k, v) -> out.printf("  %s = %s%n", k, v));
    }
  }

  /**
   * Per block-encoded or derived column, its chunks' block schemes or derivations
   * ({@code ColumnView#encodingSummary}), joined by "; ".
   */
  private static Map<String, String> schemes(Path file) throws java.io.IOException {
    Map<String, String> m = new LinkedHashMap<>();
    try (io.lazyq.format.LzqFile f = io.lazyq.format.LzqFile.open(file)) {
      for (int c = 0; c < f.schema().size(); c++) {
        List<String> chunks = new ArrayList<>();
        for (int k = 0; k < f.index().size(); k++) {
          try (io.lazyq.format.ColumnView view = f.column(k, c)) {
            String summary = view.encodingSummary();
            if (summary.startsWith("blocks ")) {
              chunks.add(summary.substring("blocks ".length()));
            } else if (summary.startsWith("derived ")) {
              chunks.add(summary);
            }
          }
        }
        if (!chunks.isEmpty()) {
          m.put(f.schema().field(c).name(), String.join("; ", chunks));
        }
      }
    }
    return m;
  }

  /** How many chunks of a column each lossless stage stored, from the index alone. */
  private static Map<String, Integer> stages(FileMetadata meta, int column) {
    Map<String, Integer> m = new TreeMap<>();
    for (ChunkDescriptor ch : meta.index().chunks()) {
      String stage = ch.column(column).compression().name().toLowerCase(Locale.ROOT).replace('_', '+');
      m.merge(stage, 1, Integer::sum);
    }
    return m;
  }

  /** Stored bytes per value: per row, or per element for lists, per string byte never. */
  private static double bytesPerValue(FileMetadata meta, int column) {
    boolean list = meta.schema().field(column).type().isList();
    long values = 0;
    for (ChunkDescriptor ch : meta.index().chunks()) {
      values += list ? ch.column(column).valueCount() : ch.rows();
    }
    return values == 0 ? 0.0 : (double) meta.index().columnBytes(column) / values;
  }

  private static String show(Object v, boolean timestamp) {
    if (v == null) {
      return "";
    }
    return timestamp ? RowFormat.timestamp(((Number) v).longValue()) : v.toString();
  }

  /** A column's statistics over all chunks. */
  private static final class ColumnSummary {
    long nulls;
    Object min;
    Object max;

    static ColumnSummary of(FileMetadata meta, int column) {
      ColumnSummary s = new ColumnSummary();
      boolean all = true;
      double minD = Double.POSITIVE_INFINITY;
      double maxD = Double.NEGATIVE_INFINITY;
      long minL = Long.MAX_VALUE;
      long maxL = Long.MIN_VALUE;
      boolean floating = false;
      for (ChunkDescriptor ch : meta.index().chunks()) {
        ColumnChunk col = ch.column(column);
        ColumnStats st = col.stats();
        s.nulls += st.nullCount();
        if (!st.hasMinMax()) {
          all &= st.nullCount() == ch.rows();
          continue;
        }
        if (st.min() instanceof Double) {
          floating = true;
          minD = Math.min(minD, st.min().doubleValue());
          maxD = Double.isNaN(st.max().doubleValue()) || Double.isNaN(maxD) ? Double.NaN : Math.max(maxD, st.max().doubleValue());
        } else {
          minL = Math.min(minL, st.min().longValue());
          maxL = Math.max(maxL, st.max().longValue());
        }
      }
      if (all && meta.index().size() > 0) {
        if (floating && minD <= maxD || floating && Double.isNaN(maxD)) {
          s.min = minD;
          s.max = maxD;
        } else if (!floating && minL <= maxL) {
          s.min = minL;
          s.max = maxL;
        }
      }
      return s;
    }
  }

  static LazyQFormatException notTensor(Path file) {
    return new LazyQFormatException(file.toString(), 0, "not a LazyQ, GGUF or Safetensors file");
  }
}
