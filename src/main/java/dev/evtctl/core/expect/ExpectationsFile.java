package dev.evtctl.core.expect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.InvalidSettingException;
import dev.evtctl.core.pipeline.SchemaCatalog;
import dev.evtctl.core.table.EventQuery;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An {@code evtctl assert} file, checked against its JSON Schema ({@code
 * schemas/evtctl/expectations.json}) first, so that a mistake is named by where it is: {@code
 * /events/2/count: string found, integer expected}.
 *
 * @param pipeline the pipeline's name (txma when the file names none)
 * @param table the events table, or null when the file names none
 * @param selector whose events
 * @param timeout how long to poll as the file says it (e.g. 40s), or null
 * @param expectations the expected events, at least one
 */
public record ExpectationsFile(
    String pipeline,
    String table,
    EventQuery.Selector selector,
    String timeout,
    List<Expectation> expectations) {

  /** The schema every expectations file follows. */
  public static final String SCHEMA = "evtctl/expectations";

  /**
   * The file's expectations.
   *
   * @throws InvalidSettingException with the first problems, where they are, in one line
   */
  public static ExpectationsFile of(JsonNode root) {
    String problems = SchemaCatalog.problems(SCHEMA, root);
    if (problems != null) {
      throw new InvalidSettingException(problems);
    }
    EventQuery.Selector selector =
        new EventQuery.Selector(
            text(root, "session"),
            text(root, "tenant"),
            text(root, "company"),
            text(root, "status"),
            null,
            null,
            null,
            0);
    if (selector.session() == null
        && selector.tenant() == null
        && selector.company() == null
        && selector.status() == null) {
      throw new InvalidSettingException(
          "give one of \"session\", \"tenant\", \"company\", \"status\"");
    }
    List<Expectation> expectations = new ArrayList<>();
    for (JsonNode event : root.get("events")) {
      expectations.add(expectation(event));
    }
    String pipeline = text(root, "pipeline");
    return new ExpectationsFile(
        pipeline == null ? "txma" : pipeline,
        text(root, "table"),
        selector,
        text(root, "timeout"),
        expectations);
  }

  /** An event as the schema allows it: a name, maybe a count, maybe one matcher per pointer. */
  private static Expectation expectation(JsonNode event) {
    List<FieldMatcher> matchers = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = event.path("match").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String kind = field.getValue().fieldNames().next();
      matchers.add(
          new FieldMatcher(
              field.getKey(),
              FieldMatcher.Kind.valueOf(kind.toUpperCase(Locale.ROOT)),
              field.getValue().get(kind)));
    }
    Integer count = event.has("count") ? event.get("count").intValue() : null;
    return new Expectation(event.get("name").asText(), count, matchers);
  }

  private static String text(JsonNode root, String field) {
    return root.path(field).isTextual() ? root.get(field).asText() : null;
  }
}
