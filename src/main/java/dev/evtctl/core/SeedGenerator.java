package dev.evtctl.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Realistic test events for a built-in pipeline, reproducible from a random seed: TxMA events of
 * plausible names for a set of sessions, ledger events of every type for a set of tenants, company
 * messages; with a share of invalid events (of several kinds) and of exact duplicates.
 */
public final class SeedGenerator {

  /** What a generated message is meant to be. */
  public enum Kind {
    VALID,
    INVALID,
    DUPLICATE
  }

  /**
   * One message to send.
   *
   * @param body the SQS body
   * @param group the session, tenant or company it belongs to (the FIFO MessageGroupId)
   * @param kind what it is meant to be
   */
  public record SeedMessage(String body, String group, Kind kind) {}

  private static final List<String> TXMA_EVENT_NAMES =
      List.of(
          "DCMAW_ASYNC_CRI_START",
          "DCMAW_ASYNC_CRI_4XXERROR",
          "DCMAW_ASYNC_CRI_5XXERROR",
          "DCMAW_ASYNC_ABORT_APP",
          "DCMAW_ASYNC_CRI_VC_ISSUED",
          "DCMAW_ASYNC_CRI_END",
          "AUTH_AUTHORISATION_REQUEST_RECEIVED",
          "IPV_JOURNEY_START");

  private static final List<String> LEDGER_TYPES =
      List.of(
          "user.created",
          "monitoring",
          "user.applications",
          "transaction.authorizers",
          "integrations");

  private final String pipeline;
  private final Random random;
  private final List<String> groups;
  private final double invalidRatio;
  private final double duplicateRatio;
  private final Instant start;
  private final List<SeedMessage> sent = new ArrayList<>();
  private long sequence;

  /**
   * @param pipeline txma, ledger or messages
   * @param randomSeed the same seed gives the same messages
   * @param groups how many sessions (txma), tenants (ledger) or companies (messages)
   * @param invalidRatio share of invalid events, 0 to 1
   * @param duplicateRatio share of exact duplicates of an earlier event, 0 to 1
   * @param now the clock the timestamps start from
   */
  public SeedGenerator(
      String pipeline,
      long randomSeed,
      int groups,
      double invalidRatio,
      double duplicateRatio,
      Instant now) {
    if (!Pipelines.BUILT_IN.contains(pipeline)) {
      throw new PipelineConfigException(
          "seed generates events for "
              + String.join(", ", Pipelines.BUILT_IN)
              + "; for pipeline "
              + pipeline
              + " give --file");
    }
    if (groups < 1) {
      throw new PipelineConfigException("at least one session/tenant is needed, not " + groups);
    }
    if (invalidRatio < 0
        || invalidRatio > 1
        || duplicateRatio < 0
        || duplicateRatio > 1
        || invalidRatio + duplicateRatio > 1) {
      throw new PipelineConfigException(
          "--invalid-ratio and --duplicate-ratio are between 0 and 1, and their sum at most 1");
    }
    this.pipeline = pipeline;
    this.random = new Random(randomSeed);
    this.invalidRatio = invalidRatio;
    this.duplicateRatio = duplicateRatio;
    this.start = now.truncatedTo(ChronoUnit.SECONDS);
    this.groups = new ArrayList<>(groups);
    for (int i = 0; i < groups; i++) {
      this.groups.add(groupName(i));
    }
  }

  /** The sessions, tenants or companies the events are spread over. */
  public List<String> groups() {
    return List.copyOf(groups);
  }

  public SeedMessage next() {
    double dice = random.nextDouble();
    sequence++;
    boolean duplicate = dice < duplicateRatio;
    if (duplicate && !sent.isEmpty()) {
      SeedMessage original = sent.get(random.nextInt(sent.size()));
      return new SeedMessage(original.body(), original.group(), Kind.DUPLICATE);
    }
    String group = groups.get(random.nextInt(groups.size()));
    // A duplicate with nothing sent yet to duplicate is a valid event, not an invalid one.
    if (!duplicate && dice < duplicateRatio + invalidRatio) {
      return new SeedMessage(invalid(group), group, Kind.INVALID);
    }
    SeedMessage message = new SeedMessage(valid(group), group, Kind.VALID);
    if (sent.size() < 1000) {
      sent.add(message);
    }
    return message;
  }

  private String groupName(int index) {
    return switch (pipeline) {
      case "txma" -> uuid().toString();
      case "ledger" -> String.format("tenant-%03d", index + 1);
      default -> uuid().toString();
    };
  }

  private String valid(String group) {
    ObjectNode event = Json.MAPPER.createObjectNode();
    long second = start.getEpochSecond() + sequence;
    switch (pipeline) {
      case "txma" -> {
        event.put("event_name", TXMA_EVENT_NAMES.get(random.nextInt(TXMA_EVENT_NAMES.size())));
        event.put("component_id", "https://review-b.account.gov.uk");
        event.put("timestamp", second);
        event.put("event_timestamp_ms", second * 1000 + random.nextInt(1000));
        ObjectNode user = event.putObject("user");
        user.put("user_id", "urn:fdc:gov.uk:2022:" + uuid().toString().replace("-", ""));
        user.put("session_id", group);
        user.put("govuk_signin_journey_id", uuid().toString());
        user.put("transaction_id", uuid().toString());
        user.put("ip_address", ipAddress());
        event
            .putObject("extensions")
            .put("redirect_uri", "https://review-b.account.gov.uk/callback");
      }
      case "ledger" -> {
        String type = LEDGER_TYPES.get(random.nextInt(LEDGER_TYPES.size()));
        event.put("tenant_id", group);
        event.put("event_id", uuid().toString());
        event.put("event_type", type);
        event.put("created_at", Instant.ofEpochSecond(second).toString());
        ledgerPayload(type, event.putObject("payload"), second);
      }
      default -> {
        ObjectNode metadata = event.putObject("metadata");
        metadata.put("message_time", Instant.ofEpochSecond(second).toString());
        metadata.put("company_id", group);
        metadata.put("message_id", uuid().toString());
        ObjectNode data = event.putObject("data");
        data.put("order_id", uuid().toString());
        data.put("order_time", Instant.ofEpochSecond(second - 120).toString());
        data.put("order_amount", 5 + random.nextInt(500));
      }
    }
    return write(event);
  }

  private void ledgerPayload(String type, ObjectNode payload, long second) {
    switch (type) {
      case "user.created" -> {
        String id = "u-" + random.nextInt(100_000);
        payload.put("id", id);
        payload.put("email", id + "@example.com");
      }
      case "monitoring" -> {
        payload.put("timestamp", Instant.ofEpochSecond(second).toString());
        payload.put("level", List.of("debug", "info", "warn", "error").get(random.nextInt(4)));
        payload.put("message", "disk " + (50 + random.nextInt(50)) + "% full");
      }
      case "user.applications" -> {
        payload.put("app_id", "app-" + random.nextInt(100));
        payload.put("user_id", "u-" + random.nextInt(100_000));
        payload.put("action", List.of("install", "uninstall", "update").get(random.nextInt(3)));
      }
      case "transaction.authorizers" -> {
        payload.put("transaction_id", "t-" + uuid());
        payload.put("authorizer", List.of("visa", "mastercard", "amex").get(random.nextInt(3)));
        payload.put("decision", List.of("APPROVED", "DECLINED", "REVIEW").get(random.nextInt(3)));
        payload.put("amount", random.nextInt(100_000) / 100.0);
      }
      default -> {
        payload.put("integration_id", "int-" + random.nextInt(1000));
        payload.put("provider", List.of("stripe", "slack", "github").get(random.nextInt(3)));
        payload.put("event", List.of("connected", "disconnected").get(random.nextInt(2)));
      }
    }
  }

  /** One of the mistakes producers make: not JSON, a field missing, a wrong type, a bad value. */
  private String invalid(String group) {
    ObjectNode event = (ObjectNode) parse(valid(group));
    switch (random.nextInt(4)) {
      case 0:
        return "not json: " + group;
      case 1:
        switch (pipeline) {
          case "txma" -> event.remove("event_name");
          case "ledger" -> event.remove("payload");
          default -> event.remove("data");
        }
        break;
      case 2:
        switch (pipeline) {
          case "txma" -> event.put("timestamp", "yesterday");
          case "ledger" -> event.put("created_at", "yesterday");
          default -> ((ObjectNode) event.get("metadata")).put("message_time", "yesterday");
        }
        break;
      default:
        switch (pipeline) {
          case "txma" -> ((ObjectNode) event.get("user")).put("session_id", 12345);
          case "ledger" -> event.put("event_type", "user.deleted");
          default -> ((ObjectNode) event.get("metadata")).remove("message_id");
        }
        break;
    }
    return write(event);
  }

  private String ipAddress() {
    return switch (random.nextInt(3)) {
      case 0 -> "203.0.113." + (1 + random.nextInt(254));
      case 1 -> "198.51.100." + (1 + random.nextInt(254));
      default -> "2001:db8::" + Integer.toHexString(1 + random.nextInt(0xfffe));
    };
  }

  /** A version 4 UUID from the seeded random, so a seed gives the same ids. */
  private UUID uuid() {
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(most, least);
  }

  private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
    try {
      return Json.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String write(ObjectNode event) {
    try {
      return Json.MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
