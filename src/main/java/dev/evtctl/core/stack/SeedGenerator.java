package dev.evtctl.core.stack;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.evtctl.core.pipeline.InvalidSettingException;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.PipelineDefinition;
import dev.evtctl.core.pipeline.PipelineDefinitionException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Realistic test events for a pipeline, reproducible from a random seed, made from the sample
 * events of its definition's {@code seed} section: a share of them made invalid by its edits, a
 * share exact duplicates of earlier ones.
 *
 * <p>A sample's strings may hold generators, {@code ${NAME}} or {@code ${NAME:ARGS}}: {@code group}
 * (the session, tenant or company of the message), {@code index:WIDTH} (the group's number,
 * zero-padded; in {@code group} only), {@code uuid}, {@code hex:N} (N hex digits), {@code
 * oneOf:A|B|C}, {@code int:MIN:MAX}, {@code decimal:MIN:MAX} (two decimals), {@code ip} (a
 * documentation address, IPv4 or IPv6), {@code epochSeconds} and {@code epochMillis} (the event's
 * time: one second after the previous event), {@code isoTime} or {@code isoTime:OFFSET_SECONDS}
 * (the same in RFC 3339). A string that is one numeric generator becomes a JSON number.
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

  private static final Pattern GENERATOR = Pattern.compile("\\$\\{([a-zA-Z]+)(?::([^}]*))?}");

  private final PipelineDefinition.Seed seed;
  private final Random random;
  private final List<String> groups;
  private final double invalidRatio;
  private final double duplicateRatio;
  private final Instant start;
  private final List<SeedMessage> sent = new ArrayList<>();
  private long sequence;

  /**
   * @param pipeline the pipeline whose {@code seed} section says what to make
   * @param randomSeed the same seed gives the same messages
   * @param groups how many sessions, tenants or companies
   * @param invalidRatio share of invalid events, 0 to 1
   * @param duplicateRatio share of exact duplicates of an earlier event, 0 to 1
   * @param now the clock the timestamps start from
   */
  public SeedGenerator(
      Pipeline pipeline,
      long randomSeed,
      int groups,
      double invalidRatio,
      double duplicateRatio,
      Instant now) {
    this.seed = pipeline.seed();
    if (seed == null || seed.events() == null || seed.events().isEmpty()) {
      throw new InvalidSettingException(
          "pipeline "
              + pipeline.name()
              + " has no seed section with sample events, so seed cannot make its events; give"
              + " --file with events of your own");
    }
    if (invalidRatio > 0 && (seed.invalid() == null || seed.invalid().isEmpty())) {
      throw new InvalidSettingException(
          "pipeline " + pipeline.name() + " has no seed.invalid edits; give --invalid-ratio 0");
    }
    if (groups < 1) {
      throw new InvalidSettingException("at least one session/tenant is needed, not " + groups);
    }
    if (invalidRatio < 0
        || invalidRatio > 1
        || duplicateRatio < 0
        || duplicateRatio > 1
        || invalidRatio + duplicateRatio > 1) {
      throw new InvalidSettingException(
          "--invalid-ratio and --duplicate-ratio are between 0 and 1, and their sum at most 1");
    }
    this.random = new Random(randomSeed);
    this.invalidRatio = invalidRatio;
    this.duplicateRatio = duplicateRatio;
    this.start = now.truncatedTo(ChronoUnit.SECONDS);
    this.groups = new ArrayList<>(groups);
    String group = seed.group() == null ? "${uuid}" : seed.group();
    for (int i = 0; i < groups; i++) {
      this.groups.add(expand(group, null, i + 1).asText());
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
    SeedMessage message = new SeedMessage(write(valid(group)), group, Kind.VALID);
    if (sent.size() < 1000) {
      sent.add(message);
    }
    return message;
  }

  private JsonNode valid(String group) {
    JsonNode sample = seed.events().get(random.nextInt(seed.events().size()));
    return generate(sample, group);
  }

  /** One of the mistakes producers make, as the definition's edits say. */
  private String invalid(String group) {
    JsonNode event = valid(group);
    PipelineDefinition.InvalidEdit edit = seed.invalid().get(random.nextInt(seed.invalid().size()));
    if (edit.body() != null) {
      return expand(edit.body(), group, 0).asText();
    }
    if (edit.remove() != null) {
      JsonPointer at = JsonPointer.compile(edit.remove());
      JsonNode parent = event.at(at.head());
      if (parent instanceof ObjectNode object) {
        object.remove(at.last().getMatchingProperty());
      }
    } else if (edit.set() != null) {
      JsonPointer at = JsonPointer.compile(edit.set());
      JsonNode parent = event.at(at.head());
      JsonNode value =
          edit.value() == null
              ? JsonNodeFactory.instance.nullNode()
              : generate(edit.value(), group);
      if (parent instanceof ObjectNode object) {
        object.set(at.last().getMatchingProperty(), value);
      }
    }
    return write(event);
  }

  /** A copy of a sample with its generators run. */
  private JsonNode generate(JsonNode sample, String group) {
    if (sample.isTextual()) {
      return expand(sample.textValue(), group, 0);
    }
    if (!(sample instanceof ContainerNode<?>)) {
      return sample;
    }
    if (sample instanceof ArrayNode array) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode(array.size());
      array.forEach(element -> copy.add(generate(element, group)));
      return copy;
    }
    ObjectNode copy = JsonNodeFactory.instance.objectNode();
    Iterator<Map.Entry<String, JsonNode>> fields = sample.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      copy.set(field.getKey(), generate(field.getValue(), group));
    }
    return copy;
  }

  /** A string with its generators run: a number when it is one numeric generator. */
  private JsonNode expand(String text, String group, int index) {
    Matcher matcher = GENERATOR.matcher(text);
    if (matcher.matches()) {
      Object value = value(matcher.group(1), matcher.group(2), group, index);
      if (value instanceof Long number) {
        return JsonNodeFactory.instance.numberNode(number);
      }
      if (value instanceof BigDecimal number) {
        return JsonNodeFactory.instance.numberNode(number);
      }
      return TextNode.valueOf(value.toString());
    }
    StringBuilder out = new StringBuilder();
    matcher.reset();
    while (matcher.find()) {
      matcher.appendReplacement(
          out,
          Matcher.quoteReplacement(
              value(matcher.group(1), matcher.group(2), group, index).toString()));
    }
    matcher.appendTail(out);
    return TextNode.valueOf(out.toString());
  }

  private Object value(String name, String args, String group, int index) {
    try {
      return generated(name, args, group, index);
    } catch (NumberFormatException | NullPointerException | ArrayIndexOutOfBoundsException e) {
      throw new PipelineDefinitionException(
          "seed: generator ${" + name + (args == null ? "" : ":" + args) + "} is malformed");
    }
  }

  private Object generated(String name, String args, String group, int index) {
    long second = start.getEpochSecond() + sequence;
    return switch (name) {
      case "group" -> require(group, name);
      case "index" ->
          String.format("%0" + (args == null ? 1 : Integer.parseInt(args)) + "d", index);
      case "uuid" -> uuid().toString();
      case "hex" -> hex(Integer.parseInt(args));
      case "oneOf" -> {
        String[] options = args.split("\\|");
        yield options[random.nextInt(options.length)];
      }
      case "int" -> {
        String[] range = args.split(":");
        long min = Long.parseLong(range[0]);
        yield min + (long) random.nextInt((int) (Long.parseLong(range[1]) - min + 1));
      }
      case "decimal" -> {
        String[] range = args.split(":");
        long minCents = Long.parseLong(range[0]) * 100;
        long cents = minCents + random.nextInt((int) (Long.parseLong(range[1]) * 100 - minCents));
        yield BigDecimal.valueOf(cents, 2);
      }
      case "ip" -> ipAddress();
      case "epochSeconds" -> second;
      case "epochMillis" -> second * 1000 + random.nextInt(1000);
      case "isoTime" ->
          Instant.ofEpochSecond(second + (args == null ? 0 : Long.parseLong(args))).toString();
      default ->
          throw new PipelineDefinitionException(
              "seed: unknown generator ${"
                  + name
                  + "} (known: group, index, uuid, hex, oneOf, int, decimal, ip, epochSeconds,"
                  + " epochMillis, isoTime)");
    };
  }

  private static String require(String value, String name) {
    if (value == null) {
      throw new PipelineDefinitionException("seed: ${" + name + "} cannot name itself");
    }
    return value;
  }

  private String hex(int digits) {
    byte[] bytes = new byte[(digits + 1) / 2];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes).substring(0, digits);
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

  private static String write(JsonNode event) {
    try {
      return Json.MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
