package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Event data that would act on a terminal or a spreadsheet is shown, never run. */
class OutputEscapingTest {

  private static final List<String> COLUMNS = List.of("event_name", "count");

  private static List<Map<String, Object>> hostileRows() {
    Map<String, Object> clear = new LinkedHashMap<>();
    clear.put("event_name", "X\u001b[2J\u0007");
    clear.put("count", -5);
    Map<String, Object> forged = new LinkedHashMap<>();
    forged.put("event_name", "A\r\nFORGED_ROW  0");
    forged.put("count", 1);
    Map<String, Object> formula = new LinkedHashMap<>();
    formula.put("event_name", "=HYPERLINK(\"http://evil.example\",\"x\")");
    formula.put("count", 2);
    Map<String, Object> bidi = new LinkedHashMap<>();
    bidi.put("event_name", "abc\u202edef");
    bidi.put("count", 3);
    return List.of(clear, forged, formula, bidi);
  }

  private static String print(OutputFormat format) {
    StringWriter text = new StringWriter();
    new Output(new PrintWriter(text), format).rows(COLUMNS, hostileRows());
    return text.toString();
  }

  @Test
  void tablesEscapeControlCharactersSoNothingActsOnTheTerminalOrForgesARow() {
    String table = print(OutputFormat.table);

    assertThat(table).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\r");
    assertThat(table).doesNotContain("\u202e");
    assertThat(table.lines()).hasSize(5); // the header and four rows: no forged line
    assertThat(table)
        .contains("X\\u001b[2J\\u0007")
        .contains("A\\r\\nFORGED_ROW  0")
        .contains("abc\\u202edef");
  }

  @Test
  void csvNeutralisesFormulasAndLeavesNumbersAlone() {
    assertThat(print(OutputFormat.csv).lines())
        .containsExactly(
            "event_name,count",
            "X\u001b[2J\u0007,-5",
            "\"A",
            "FORGED_ROW  0\",1",
            "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",2",
            "abc\u202edef,3");
  }
}
