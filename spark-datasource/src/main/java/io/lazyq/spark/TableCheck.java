package io.lazyq.spark;

import io.lazyq.LazyQFormatException;
import io.lazyq.format.LzqCheck;
import io.lazyq.format.LzqCheck.Damage;
import io.lazyq.format.LzqCheck.Report;
import io.lazyq.storage.Storage;
import io.lazyq.table.TableLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * Checks a table directory as the Spark source writes it: its log (or, written before the log, its
 * manifest) and its checkpoints against the log's entries, that each file of the latest version is there with the size and rows it records, and
 * then each file whole ({@link LzqCheck}). Without either, every file a reader would read is checked.
 *
 * @param directory the table's directory
 * @param manifest whether it has a log or a manifest
 * @param damages what is wrong with the directory itself: the manifest, missing or mismatched files
 * @param files a report per file checked, in the manifest's order
 */
public record TableCheck(Path directory, boolean manifest, List<Damage> damages, List<Report> files) {
  private static final long NO_OFFSET = LazyQFormatException.NO_OFFSET;

  public TableCheck {
    damages = List.copyOf(damages);
    files = List.copyOf(files);
  }

  /** Whether neither the directory nor any file is damaged. */
  public boolean intact() {
    return damages.isEmpty() && files.stream().allMatch(Report::intact);
  }

  /** Every damage, the directory's first. */
  public List<Damage> allDamages() {
    List<Damage> all = new ArrayList<>(damages);
    files.forEach(r -> all.addAll(r.damages()));
    return all;
  }

  /** Checks a directory. Only I/O errors throw; damage is reported. */
  public static TableCheck check(Path directory) throws IOException {
    List<Damage> damages = new ArrayList<>();
    List<Report> reports = new ArrayList<>();
    Path manifestFile = directory.resolve(Manifest.NAME);
    Optional<List<PartFile>> listed;
    Storage storage = Storage.of(new Configuration());
    try {
      listed = TableFiles.snapshot(directory.toString(), storage).map(s -> s.files().stream()
          .map(f -> new PartFile(f.path(), f.rows(), f.bytes())).toList());
      if (listed.isPresent()) {
        for (LazyQFormatException e : new TableLog(directory.toString(), storage).checkCheckpoints()) {
          damages.add(new Damage(e.source(), -1, null, NO_OFFSET, "damaged checkpoint (readers replay the log"
              + " instead): " + e.problem()));
        }
      }
    } catch (LazyQFormatException e) {
      damages.add(new Damage(e.source(), -1, null, NO_OFFSET, "unreadable log: " + e.problem()));
      listed = Optional.empty();
    }
    if (listed.isEmpty() && damages.isEmpty()) {
      try {
        listed = Manifest.read(directory.toString(), storage);
      } catch (IOException e) {
        damages.add(new Damage(manifestFile.toString(), -1, null, NO_OFFSET, "unreadable manifest: " + e.getMessage()));
      }
    }
    if (listed.isPresent()) {
      for (PartFile part : listed.get()) {
        Path file = directory.resolve(part.name());
        if (!Files.isRegularFile(file)) {
          damages.add(new Damage(file.toString(), -1, null, NO_OFFSET, "missing: the table lists it"));
          continue;
        }
        long size = Files.size(file);
        if (part.bytes() >= 0 && size != part.bytes()) {
          damages.add(new Damage(file.toString(), -1, null, Math.min(size, part.bytes()), "holds " + size
              + " bytes; the table records " + part.bytes()));
        }
        Report report = LzqCheck.check(file);
        if (report.intact() && part.rows() >= 0 && report.rows() != part.rows()) {
          damages.add(new Damage(file.toString(), -1, null, NO_OFFSET, "holds " + report.rows()
              + " rows; the table records " + part.rows()));
        }
        reports.add(report);
      }
    } else if (damages.isEmpty()) {
      try (Stream<Path> entries = Files.list(directory)) {
        for (Path file : entries.filter(p -> Files.isRegularFile(p) && !TableFiles.isHidden(p.getFileName().toString()))
            .sorted().toList()) {
          reports.add(LzqCheck.check(file));
        }
      }
    }
    return new TableCheck(directory, listed.isPresent(), damages, reports);
  }
}
