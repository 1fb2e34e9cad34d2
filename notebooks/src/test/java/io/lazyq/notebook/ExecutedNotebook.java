package io.lazyq.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A notebook as nbconvert wrote it after executing it: its outputs, searchable. */
record ExecutedNotebook(Path path, JsonNode json, double seconds) {

  static ExecutedNotebook read(Path path, double seconds) throws IOException {
    return new ExecutedNotebook(path, new ObjectMapper().readTree(path.toFile()), seconds);
  }

  String name() {
    return path.getFileName().toString();
  }

  List<JsonNode> outputs() {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode cell : json.path("cells")) {
      cell.path("outputs").forEach(all::add);
    }
    return all;
  }

  long codeCells() {
    long n = 0;
    for (JsonNode cell : json.path("cells")) {
      n += cell.path("cell_type").asText().equals("code") ? 1 : 0;
    }
    return n;
  }

  long errors() {
    return outputs().stream().filter(o -> o.path("output_type").asText().equals("error")).count();
  }

  long images() {
    return outputs().stream().filter(o -> o.path("data").has("image/png")).count();
  }

  /** Everything the cells printed or returned as text, in order. */
  String text() {
    StringBuilder out = new StringBuilder();
    for (JsonNode o : outputs()) {
      JsonNode text = o.has("text") ? o.get("text") : o.path("data").path("text/plain");
      if (text.isArray()) {
        text.forEach(line -> out.append(line.asText()));
      } else {
        out.append(text.asText());
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** The number in the first printed match of {@code regex}'s group 1 (thousands separators allowed). */
  double number(String regex) {
    Matcher m = Pattern.compile(regex).matcher(text());
    if (!m.find()) {
      throw new AssertionError(name() + " printed nothing matching /" + regex + "/");
    }
    return Double.parseDouble(m.group(1).replace(",", ""));
  }

  String summary() {
    return String.format("notebook %s: executed, %d code cells, %d errors, %d images, %.1f s", name(), codeCells(),
        errors(), images(), seconds);
  }
}
