package dev.evtctl.core.expect;

import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.table.EventQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The CI assertions as a Java API, for a JUnit test in another project:
 *
 * <pre>{@code
 * EventAssertions.on(dynamoDb, "txma", "my-stack-events")
 *     .session(sessionId)
 *     .expect("DCMAW_ASYNC_CRI_START", 1)
 *     .expect("DCMAW_ASYNC_CRI_END")
 *     .within(Duration.ofSeconds(40));
 * }</pre>
 *
 * {@link #within} polls with backoff (500 ms, doubling, at most 10 s) and throws an {@link
 * AssertionError} that says what was expected, what was found and what came closest.
 */
public final class EventAssertions {

  private final EventQuery query;
  private final List<Expectation> expectations = new ArrayList<>();
  private String session;
  private String tenant;
  private String company;
  private String status;

  private EventAssertions(EventQuery query) {
    this.query = query;
  }

  public static EventAssertions on(DynamoDbClient dynamoDb, String pipeline, String table) {
    return new EventAssertions(new EventQuery(dynamoDb, Pipelines.builtIn(pipeline), table));
  }

  public EventAssertions session(String session) {
    this.session = session;
    return this;
  }

  public EventAssertions tenant(String tenant) {
    this.tenant = tenant;
    return this;
  }

  public EventAssertions company(String company) {
    this.company = company;
    return this;
  }

  public EventAssertions status(String status) {
    this.status = status;
    return this;
  }

  /** At least one event of this name. */
  public EventAssertions expect(String name) {
    return expect(new Expectation(name, null, List.of()));
  }

  /** Exactly this many events of this name. */
  public EventAssertions expect(String name, int count) {
    return expect(new Expectation(name, count, List.of()));
  }

  public EventAssertions expect(Expectation expectation) {
    expectations.add(expectation);
    return this;
  }

  /** Polls until every expectation holds; throws AssertionError when the time is up. */
  public EventExpectations.Report within(Duration timeout) {
    EventQuery.Selector selector =
        new EventQuery.Selector(session, tenant, company, status, null, null, null, 0);
    try {
      EventExpectations.Report report =
          EventExpectations.await(() -> query.find(selector), expectations, timeout);
      if (!report.met()) {
        throw new AssertionError(
            "events not as expected after "
                + report.waited().toMillis()
                + " ms:\n"
                + String.join("\n", report.describe()));
      }
      return report;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for events", e);
    }
  }
}
