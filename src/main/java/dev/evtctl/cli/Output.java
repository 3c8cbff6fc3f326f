package dev.evtctl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import com.github.freva.asciitable.OverflowBehaviour;
import dev.evtctl.core.DisplayText;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Results on stdout in the format -o asks for; the one formatter every command uses. Rows are
 * ordered maps from column to value; a value may be a JsonNode (printed as JSON in json and ndjson,
 * as compact text in table and csv). Text from events is made safe for where it goes: control
 * characters escaped in tables (a terminal acts on ESC), formula prefixes neutralised in CSV (a
 * spreadsheet runs {@code =HYPERLINK(...)}).
 */
public final class Output {

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final ObjectMapper COMPACT = JsonMapper.builder().build();

  /** Quotes only where CSV needs them (separator, quote, newline), so output stays diffable. */
  private static final CsvMapper CSV =
      CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

  /** Tables fit a terminal of this width: the last column wraps, the others are cut. */
  private static final int TABLE_WIDTH = 80;

  /** Cells of the other columns longer than this end in an ellipsis. */
  private static final int MAX_CELL = 36;

  private final PrintWriter out;
  private final OutputFormat format;

  public Output(PrintWriter out, OutputFormat format) {
    this.out = out;
    this.format = format;
  }

  /** Rows with these columns, in this order. */
  public void rows(List<String> columns, List<Map<String, Object>> rows) {
    switch (format) {
      case json -> out.println(write(JSON, toArray(rows)));
      case ndjson -> rows.forEach(row -> out.println(write(COMPACT, toObject(row))));
      case csv -> out.print(csv(columns, rows));
      case table -> out.println(table(columns, rows));
    }
    out.flush();
  }

  /**
   * What one command did, as one row: in json, ndjson and csv as {@link #rows} of one; in a table
   * one {@code name value} line per column, so a summary of many figures fits a terminal.
   */
  public void summary(Map<String, Object> row) {
    if (format != OutputFormat.table) {
      rows(List.copyOf(row.keySet()), List.of(row));
      return;
    }
    int width = row.keySet().stream().mapToInt(String::length).max().orElse(0);
    row.forEach(
        (name, value) ->
            out.println(
                " "
                    + name
                    + " ".repeat(width - name.length() + 2)
                    + DisplayText.oneLine(text(value))));
    out.flush();
  }

  /**
   * Records shown as rows of these columns in table and csv, and as whole JSON documents in json
   * and ndjson.
   */
  public void records(
      List<String> columns, List<Map<String, Object>> rows, List<JsonNode> documents) {
    switch (format) {
      case json -> out.println(write(JSON, COMPACT.valueToTree(documents)));
      case ndjson -> documents.forEach(document -> out.println(write(COMPACT, document)));
      default -> {
        rows(columns, rows);
        return;
      }
    }
    out.flush();
  }

  /** One document (json and ndjson print it as JSON; table and csv as key/value rows). */
  public void document(JsonNode document) {
    switch (format) {
      case json, table -> out.println(write(JSON, document));
      case ndjson -> out.println(write(COMPACT, document));
      case csv -> {
        Map<String, Object> row = new LinkedHashMap<>();
        document.fields().forEachRemaining(field -> row.put(field.getKey(), field.getValue()));
        out.print(csv(new ArrayList<>(row.keySet()), List.of(row)));
      }
    }
    out.flush();
  }

  private static String table(List<String> columns, List<Map<String, Object>> rows) {
    String[][] cells = new String[rows.size()][];
    for (int r = 0; r < rows.size(); r++) {
      cells[r] = new String[columns.size()];
      for (int c = 0; c < columns.size(); c++) {
        cells[r][c] = DisplayText.oneLine(text(rows.get(r).get(columns.get(c))));
      }
    }
    Column[] header = new Column[columns.size()];
    int used = 0;
    for (int c = 0; c < columns.size(); c++) {
      Column column = new Column().header(columns.get(c)).dataAlign(HorizontalAlign.LEFT);
      if (c < columns.size() - 1) {
        int width = columns.get(c).length();
        for (String[] row : cells) {
          width = Math.max(width, row[c].length());
        }
        width = Math.min(width, MAX_CELL);
        used += width + 2;
        header[c] = column.maxWidth(width + 2, OverflowBehaviour.ELLIPSIS_RIGHT);
      } else {
        int rest = Math.max(TABLE_WIDTH - used - 2, 24);
        header[c] = column.maxWidth(rest, OverflowBehaviour.NEWLINE);
      }
    }
    return AsciiTable.getTable(AsciiTable.NO_BORDERS, header, cells);
  }

  private static String csv(List<String> columns, List<Map<String, Object>> rows) {
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    columns.forEach(schema::addColumn);
    List<Map<String, String>> textRows = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      Map<String, String> text = new LinkedHashMap<>();
      columns.forEach(
          column -> {
            Object value = row.get(column);
            // Numbers are ours (counts, sizes); text may come from events.
            text.put(
                column,
                value instanceof Number ? value.toString() : DisplayText.csvCell(text(value)));
          });
      textRows.add(text);
    }
    try {
      return CSV.writer(schema.build()).writeValueAsString(textRows);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof JsonNode node) {
      return node.isTextual() ? node.textValue() : write(COMPACT, node);
    }
    return value.toString();
  }

  private static ArrayNode toArray(List<Map<String, Object>> rows) {
    ArrayNode array = COMPACT.createArrayNode();
    rows.forEach(row -> array.add(toObject(row)));
    return array;
  }

  private static ObjectNode toObject(Map<String, Object> row) {
    ObjectNode object = COMPACT.createObjectNode();
    row.forEach((key, value) -> object.set(key, COMPACT.valueToTree(value)));
    return object;
  }

  private static String write(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
