package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tables use the terminal's width (or COLUMNS), and no limit in a pipe; ids are never cut or
 * wrapped. They hard-wrapped at 80 columns whatever the width, splitting event ids over two lines.
 */
class TableWidthTest {

  private static final String ID = "3d04bee6-b4f7-4c09-9baf-2047ae25be9d";
  private static final String REASON =
      "schema: $.user.session_id: is missing but it is required; $.timestamp: integer expected";

  private static String table(int width) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("message_id", ID);
    row.put("age", "10s");
    row.put("event", "DCMAW_ASYNC_CRI_5XXERROR_WITH_A_LONG_NAME");
    row.put("reason", REASON);
    StringWriter text = new StringWriter();
    new Output(new PrintWriter(text), OutputFormat.table, width)
        .rows(List.copyOf(row.keySet()), List.of(row, row));
    return text.toString();
  }

  @Test
  void inAPipeNothingIsCutOrWrapped() {
    List<String> lines = table(Output.UNLIMITED).lines().toList();

    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).contains(ID).contains(REASON).doesNotContain("…");
  }

  @Test
  void inANarrowTerminalCellsEndInAnEllipsisButIdsStayWhole() {
    List<String> lines = table(80).lines().toList();

    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).contains(ID).contains("…").doesNotContain(REASON);
    assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80 + 2));
  }

  @Test
  void columnsSetsTheWidth() {
    assertThat(new OutputOptions(Map.of("COLUMNS", "100")).tableWidth()).isEqualTo(100);
    assertThat(new OutputOptions(Map.of("COLUMNS", "wide")).tableWidth())
        .isEqualTo(
            System.console() == null ? Output.UNLIMITED : new OutputOptions(Map.of()).tableWidth());
  }
}
