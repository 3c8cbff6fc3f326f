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
import dev.evtctl.core.pipeline.DisplayText;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Results on stdout in the format -o asks for; the one formatter every command uses. Rows are
 * ordered maps from column to value; a value may be a JsonNode (printed as JSON in json and ndjson,
 * as compact text in table and csv) or a Duration (whole seconds, a number, in json, ndjson and
 * csv; "3m 17s" in a table). Keys are snake_case everywhere (docs/output.md). Text from events is
 * made safe for where it goes: control characters escaped in tables (a terminal acts on ESC),
 * formula prefixes neutralised in CSV (a spreadsheet runs {@code =HYPERLINK(...)}).
 */
public final class Output {

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final ObjectMapper COMPACT = JsonMapper.builder().build();

  /** Quotes only where CSV needs them (separator, quote, newline), so output stays diffable. */
  private static final CsvMapper CSV =
      CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

  /** A table width with no limit: nothing is cut (a pipe, a file). */
  static final int UNLIMITED = Integer.MAX_VALUE;

  /**
   * In a table narrower than its text, cells longer than this end in an ellipsis, and the last
   * column gets what is left (at least this much). Ids are never cut: a UUID is 36 characters.
   */
  private static final int MAX_CELL = 36;

  /** Narrower than this, a cut cell says nothing. */
  private static final int MIN_CELL = 8;

  private final PrintWriter out;
  private final OutputFormat format;
  private final int tableWidth;

  /** Output whose tables have no width limit. */
  public Output(PrintWriter out, OutputFormat format) {
    this(out, format, UNLIMITED);
  }

  /**
   * @param tableWidth the terminal's width, or {@link #UNLIMITED}
   */
  public Output(PrintWriter out, OutputFormat format, int tableWidth) {
    this.out = out;
    this.format = format;
    this.tableWidth = tableWidth;
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

  /** A line of text above the rows that follow, in a table only (a timeline's heading). */
  public void heading(String text) {
    if (format == OutputFormat.table) {
      out.println(DisplayText.oneLine(text));
      out.flush();
    }
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

  private String table(List<String> columns, List<Map<String, Object>> rows) {
    String[][] cells = new String[rows.size()][];
    for (int r = 0; r < rows.size(); r++) {
      cells[r] = new String[columns.size()];
      for (int c = 0; c < columns.size(); c++) {
        cells[r][c] = DisplayText.oneLine(text(rows.get(r).get(columns.get(c))));
      }
    }
    int[] widths = new int[columns.size()];
    int total = 0;
    for (int c = 0; c < columns.size(); c++) {
      widths[c] = columns.get(c).length();
      for (String[] row : cells) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
      total += widths[c] + 2;
    }
    if (total > tableWidth) {
      // Too wide: cut the long cells of all but the ids to MAX_CELL; the last column gets the rest.
      int used = 0;
      for (int c = 0; c < columns.size() - 1; c++) {
        if (!isId(columns.get(c))) {
          widths[c] = Math.min(widths[c], MAX_CELL);
        }
        used += widths[c] + 2;
      }
      int last = columns.size() - 1;
      if (!isId(columns.get(last))) {
        widths[last] = Math.max(Math.min(widths[last], tableWidth - used - 2), MIN_CELL);
      }
      // Still too wide: narrow the widest cut-able column, a character at a time.
      for (int over = sum(widths) - tableWidth; over > 0; over--) {
        int widest = -1;
        for (int c = 0; c < columns.size(); c++) {
          if (!isId(columns.get(c))
              && widths[c] > MIN_CELL
              && (widest < 0 || widths[c] > widths[widest])) {
            widest = c;
          }
        }
        if (widest < 0) {
          break;
        }
        widths[widest]--;
      }
    }
    Column[] header = new Column[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      header[c] =
          new Column()
              .header(columns.get(c))
              .dataAlign(HorizontalAlign.LEFT)
              .maxWidth(widths[c] + 2, OverflowBehaviour.ELLIPSIS_RIGHT);
    }
    return AsciiTable.getTable(AsciiTable.NO_BORDERS, header, cells);
  }

  /** The table's width: each column and its two spaces. */
  private static int sum(int[] widths) {
    int sum = 0;
    for (int width : widths) {
      sum += width + 2;
    }
    return sum;
  }

  /** A column of ids (message_id, id): cutting one would make it useless. */
  private static boolean isId(String column) {
    return column.equals("id") || column.endsWith("_id");
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
                value instanceof Number || value instanceof Duration
                    ? String.valueOf(number(value))
                    : DisplayText.csvCell(text(value)));
          });
      textRows.add(text);
    }
    try {
      return CSV.writer(schema.build()).writeValueAsString(textRows);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A duration as a script reads it: whole seconds. */
  private static Object number(Object value) {
    return value instanceof Duration duration ? duration.toSeconds() : value;
  }

  private static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Duration duration) {
      return DurationConverter.format(duration);
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
    row.forEach((key, value) -> object.set(key, COMPACT.valueToTree(number(value))));
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
