package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.stack.Stack;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.PipelineTables;
import dev.evtctl.testing.QueueDepth;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Every --file takes - for standard input: seed, import and assert refused it. */
@ExtendWith(EmbeddedAws.class)
class StandardInputTest {

  private static final InputStream STDIN = System.in;

  private EmbeddedAws.Backends backends;
  private SqsClient sqs;
  private DynamoDbClient dynamoDb;
  private StackNames names;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    this.backends = backends;
    sqs = backends.sqs();
    dynamoDb = backends.dynamoDb();
    names = new StackNames("stdin-" + UUID.randomUUID().toString().substring(0, 8), false);
    new Stack(sqs, dynamoDb).create(Pipelines.builtIn("txma"), names, 5, 30);
  }

  @AfterEach
  void restoreStandardInput() {
    System.setIn(STDIN);
  }

  private CliRun withInput(String input, String... args) {
    System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    String[] all = new String[args.length + 2];
    all[0] = "--endpoint-url";
    all[1] = backends.edge();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.of(all);
  }

  private static String event(String session, String name, long timestamp) {
    return "{\"event_name\":\""
        + name
        + "\",\"component_id\":\"https://review-b.account.gov.uk\",\"timestamp\":"
        + timestamp
        + ",\"event_timestamp_ms\":"
        + timestamp * 1000
        + ",\"user\":{\"session_id\":\""
        + session
        + "\"}}";
  }

  @Test
  void seedImportAndAssertReadStandardInput() {
    // GIVEN two events on standard input: seed sends them
    String session = UUID.randomUUID().toString();
    CliRun seed =
        withInput(
            event(session, "DCMAW_ASYNC_CRI_START", 1763900000)
                + "\n"
                + event(session, "DCMAW_ASYNC_CRI_END", 1763900001)
                + "\n",
            "seed",
            "-q",
            names.queue(),
            "--file",
            "-");
    assertThat(seed.exitCode()).as(seed.err()).isZero();
    assertThat(QueueDepth.of(sqs, names.queue())).isEqualTo(2);

    // WHEN drained, and expectations come on standard input
    CliRun drain = CliRun.of("--endpoint-url", backends.edge(), "drain", "-q", names.queue());
    assertThat(drain.exitCode()).as(drain.err()).isZero();
    CliRun assertion =
        withInput(
            "{\"pipeline\":\"txma\",\"table\":\""
                + names.eventsTable()
                + "\",\"session\":\""
                + session
                + "\",\"events\":[{\"name\":\"DCMAW_ASYNC_CRI_START\"},"
                + "{\"name\":\"DCMAW_ASYNC_CRI_END\"}]}",
            "assert",
            "--file",
            "-");

    // THEN they are met
    assertThat(assertion.exitCode()).as(assertion.out() + assertion.err()).isZero();

    // AND an export on standard input imports into another table, every line checked first
    CliRun export =
        CliRun.of(
            "--endpoint-url",
            backends.edge(),
            "export",
            "--table",
            names.eventsTable(),
            "--file",
            "-");
    assertThat(export.exitCode()).as(export.err()).isZero();
    StackNames copy = new StackNames(names.queue() + "-copy", false);
    new Stack(sqs, dynamoDb).create(Pipelines.builtIn("txma"), copy, 5, 30);
    CliRun imported =
        withInput(export.out(), "import", "--table", copy.eventsTable(), "--file", "-");
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(PipelineTables.scan(dynamoDb, copy.eventsTable(), "pk", "sk"))
        .isEqualTo(PipelineTables.scan(dynamoDb, names.eventsTable(), "pk", "sk"));
  }

  @Test
  void aBadLineOnStandardInputIsReportedAsDashLine() {
    CliRun imported =
        withInput("{\"Item\":{}}\n", "import", "--table", names.eventsTable(), "--file", "-");

    assertThat(imported.exitCode()).isEqualTo(ExitCode.NOT_MET);
    assertThat(imported.err()).startsWith("-:1: ");
  }
}
