package dev.evtctl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.commons.text.StringEscapeUtils;

/**
 * The SQS calls the edge answers or completes itself, in the JSON protocol (SDKs, awscli v2) and
 * the query protocol (awscli v1, older SDKs), because ElasticMQ 1.6 answers them from the redrive
 * policy each queue was created with ({@link DeadLetterSources}):
 *
 * <ul>
 *   <li>{@code ListDeadLetterSourceQueues}: answered here, from the queues' current policies.
 *   <li>{@code StartMessageMoveTask} without {@code DestinationArn}: SQS returns each message to
 *       its source queue (<a
 *       href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html">API
 *       reference</a>); ElasticMQ never answered when no queue's creation named the dead-letter
 *       queue. With one source queue the request goes on with that queue as its DestinationArn, so
 *       ElasticMQ runs the task and ListMessageMoveTasks reports it; with none or several it is
 *       refused at once (LocalStack, too, returns messages to one source queue only).
 * </ul>
 */
final class DeadLetterCalls {

  /** What the edge does with a request. */
  sealed interface Handling {}

  /** Answer here. */
  record Answer(int status, Map<String, String> headers, byte[] body) implements Handling {}

  /** Forward this instead of what came in. */
  record Rewrite(byte[] body, String rawQuery) implements Handling {}

  private static final String LIST = "ListDeadLetterSourceQueues";
  private static final String START = "StartMessageMoveTask";

  /** ListDeadLetterSourceQueues MaxResults: 1 to 1,000 (API reference). */
  private static final int MAX_RESULTS = 1000;

  private static final String JSON_CONTENT_TYPE = "application/x-amz-json-1.0";
  private static final String XML_NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final DeadLetterSources sources;

  DeadLetterCalls(DeadLetterSources sources) {
    this.sources = sources;
  }

  /** What to do with an SQS request, or null to forward it unchanged. */
  Handling handle(Headers headers, String rawQuery, byte[] body) {
    String target = headers.getFirst("X-Amz-Target");
    boolean json = target != null;
    Map<String, String> parameters;
    String action;
    if (json) {
      action = target.substring(target.lastIndexOf('.') + 1);
      if (!action.equals(LIST) && !action.equals(START)) {
        return null;
      }
      parameters = jsonParameters(body);
    } else {
      // Only these two are decoded: the others (SendMessage with a large body) go on untouched.
      String form = new String(body, StandardCharsets.UTF_8);
      String query = rawQuery == null ? "" : rawQuery;
      if (!names(form, LIST)
          && !names(form, START)
          && !names(query, LIST)
          && !names(query, START)) {
        return null;
      }
      parameters = formParameters(query);
      parameters.putAll(formParameters(form));
      action = parameters.get("Action");
    }
    if (parameters == null || action == null) {
      return null;
    }
    return action.equals(LIST)
        ? listSources(parameters, json)
        : startMove(parameters, json, body, rawQuery);
  }

  private Handling listSources(Map<String, String> parameters, boolean json) {
    String queueUrl = parameters.get("QueueUrl");
    if (queueUrl == null) {
      return null; // ElasticMQ's own error for a missing parameter
    }
    List<String> all = sources.of(queueUrl);
    if (all == null) {
      // ElasticMQ answers an empty list; SQS says the queue does not exist.
      return nonExistentQueue(json);
    }
    int from;
    int max;
    try {
      from =
          parameters.containsKey("NextToken") ? Integer.parseInt(parameters.get("NextToken")) : 0;
      max =
          parameters.containsKey("MaxResults")
              ? Integer.parseInt(parameters.get("MaxResults"))
              : MAX_RESULTS;
    } catch (NumberFormatException e) {
      return invalidParameter(json, "MaxResults or NextToken is not valid");
    }
    if (max < 1 || max > MAX_RESULTS || from < 0 || from > all.size()) {
      return invalidParameter(
          json, "MaxResults must be 1 to 1000, and NextToken one this endpoint gave");
    }
    List<String> page = all.subList(from, Math.min(all.size(), from + max));
    String next = from + max < all.size() ? Integer.toString(from + max) : null;
    if (json) {
      ObjectNode result = JSON.createObjectNode();
      page.forEach(result.putArray("queueUrls")::add);
      if (next != null) {
        result.put("NextToken", next);
      }
      return new Answer(200, Map.of("Content-Type", JSON_CONTENT_TYPE), bytes(result));
    }
    StringBuilder xml =
        new StringBuilder("<ListDeadLetterSourceQueuesResponse xmlns=\"" + XML_NAMESPACE + "\">")
            .append("<ListDeadLetterSourceQueuesResult>");
    page.forEach(url -> xml.append("<QueueUrl>").append(escaped(url)).append("</QueueUrl>"));
    if (next != null) {
      xml.append("<NextToken>").append(next).append("</NextToken>");
    }
    xml.append("</ListDeadLetterSourceQueuesResult>")
        .append(responseMetadata())
        .append("</ListDeadLetterSourceQueuesResponse>");
    return xmlAnswer(200, xml.toString());
  }

  private Handling startMove(
      Map<String, String> parameters, boolean json, byte[] body, String rawQuery) {
    String sourceArn = parameters.get("SourceArn");
    String destination = parameters.get("DestinationArn");
    if (sourceArn == null || (destination != null && !destination.isBlank())) {
      return null;
    }
    String deadLetterUrl = sources.urlOfArn(sourceArn);
    List<String> queues = deadLetterUrl == null ? null : sources.of(deadLetterUrl);
    if (queues == null) {
      return null; // ElasticMQ's own error: no such queue
    }
    if (queues.size() != 1) {
      return invalidParameter(
          json,
          (queues.isEmpty()
                  ? "no queue's redrive policy names " + sourceArn + " as its dead-letter queue"
                  : "the redrive policies of "
                      + queues.size()
                      + " queues name "
                      + sourceArn
                      + "; evtctl local returns messages to one source queue only")
              + ": give DestinationArn");
    }
    String destinationArn = sources.arnOf(queues.get(0));
    if (json) {
      ObjectNode request = (ObjectNode) readJson(body);
      request.put("DestinationArn", destinationArn);
      return new Rewrite(bytes(request), rawQuery);
    }
    Map<String, String> rewritten = new LinkedHashMap<>(parameters);
    rewritten.put("DestinationArn", destinationArn);
    return body.length > 0
        ? new Rewrite(formEncoded(rewritten).getBytes(StandardCharsets.UTF_8), rawQuery)
        : new Rewrite(body, formEncoded(rewritten));
  }

  private static Answer invalidParameter(boolean json, String message) {
    return error(json, "InvalidParameterValue", "InvalidParameterValue", "evtctl edge: " + message);
  }

  private static Answer nonExistentQueue(boolean json) {
    return error(
        json,
        "AWS.SimpleQueueService.NonExistentQueue",
        "QueueDoesNotExist",
        "The specified queue does not exist.");
  }

  /**
   * An error as SQS sends it: in the query protocol its code, in the JSON protocol its shape name
   * (and the code in x-amzn-query-error, which the SDKs read for queues' query-compatible errors).
   */
  private static Answer error(boolean json, String code, String shape, String message) {
    if (json) {
      ObjectNode error = JSON.createObjectNode();
      error.put("__type", "com.amazonaws.sqs#" + shape);
      error.put("message", message);
      return new Answer(
          400,
          Map.of("Content-Type", JSON_CONTENT_TYPE, "x-amzn-query-error", code + ";Sender"),
          bytes(error));
    }
    return xmlAnswer(
        400,
        "<ErrorResponse xmlns=\""
            + XML_NAMESPACE
            + "\"><Error><Type>Sender</Type><Code>"
            + code
            + "</Code><Message>"
            + escaped(message)
            + "</Message><Detail/></Error><RequestId>"
            + UUID.randomUUID()
            + "</RequestId></ErrorResponse>");
  }

  private static Answer xmlAnswer(int status, String xml) {
    return new Answer(
        status, Map.of("Content-Type", "text/xml"), xml.getBytes(StandardCharsets.UTF_8));
  }

  private static String responseMetadata() {
    return "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>";
  }

  /** The request's top-level members as text, or null when the body is not a JSON object. */
  private static Map<String, String> jsonParameters(byte[] body) {
    JsonNode request = readJson(body);
    if (request == null || !request.isObject()) {
      return null;
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    request
        .fields()
        .forEachRemaining(
            field -> {
              if (field.getValue().isValueNode() && !field.getValue().isNull()) {
                parameters.put(field.getKey(), field.getValue().asText());
              }
            });
    return parameters;
  }

  private static JsonNode readJson(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether a form names this action ({@code Action=NAME}, first or after an {@code &}). */
  private static boolean names(String form, String action) {
    String parameter = "Action=" + action;
    for (int at = form.indexOf(parameter); at >= 0; at = form.indexOf(parameter, at + 1)) {
      int end = at + parameter.length();
      if ((at == 0 || form.charAt(at - 1) == '&')
          && (end == form.length() || form.charAt(end) == '&')) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, String> formParameters(String form) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : form.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      parameters.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return parameters;
  }

  private static String formEncoded(Map<String, String> parameters) {
    return parameters.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String escaped(String text) {
    return StringEscapeUtils.escapeXml10(text);
  }
}
