package dev.evtctl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A delete repeated with a receipt handle that was already deleted succeeds, as in SQS ("if you
 * don't provide the most recently received receipt handle for the message, the request will still
 * succeed", DeleteMessage API reference); ElasticMQ answers ReceiptHandleIsInvalid. That is the
 * delete a client sends again when the answer to its first one was lost on the way (an SDK retry
 * after a reset), and a drain would count a message it did delete as a failed delete.
 *
 * <p>The edge remembers the receipt handles of the last {@link #REMEMBERED} successful deletes
 * (DeleteMessage and DeleteMessageBatch, JSON protocol) and turns ElasticMQ's refusal of one of
 * them into the success SQS gives. A handle it never saw deleted is refused as before.
 */
final class RepeatedDeletes {

  private static final int REMEMBERED = 100_000;
  private static final String INVALID = "ReceiptHandleIsInvalid";
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** An answer to pass on: the backend's, or the one SQS would give. */
  record Answer(int status, byte[] body) {}

  private final Set<String> deleted =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > REMEMBERED;
                }
              }));

  /** The answer for an SQS request with this X-Amz-Target, given ElasticMQ's. */
  Answer answer(String target, byte[] request, int status, byte[] body) {
    try {
      if ("AmazonSQS.DeleteMessage".equals(target)) {
        return deleteMessage(JSON.readTree(request), status, body);
      }
      if ("AmazonSQS.DeleteMessageBatch".equals(target) && status == 200) {
        return deleteMessageBatch(JSON.readTree(request), body);
      }
    } catch (IOException | RuntimeException e) {
      // not the JSON this expects: pass ElasticMQ's answer on as it is
    }
    return new Answer(status, body);
  }

  private Answer deleteMessage(JsonNode request, int status, byte[] body) throws IOException {
    String handle = key(request, request.path("ReceiptHandle").asText());
    if (status == 200) {
      deleted.add(handle);
    } else if (JSON.readTree(body).path("__type").asText().endsWith(INVALID)
        && deleted.contains(handle)) {
      return new Answer(200, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return new Answer(status, body);
  }

  private Answer deleteMessageBatch(JsonNode request, byte[] body) throws IOException {
    Map<String, String> handles = new LinkedHashMap<>();
    request
        .path("Entries")
        .forEach(
            entry ->
                handles.put(
                    entry.path("Id").asText(), key(request, entry.path("ReceiptHandle").asText())));
    ObjectNode response = (ObjectNode) JSON.readTree(body);
    response.path("Successful").forEach(ok -> deleted.add(handles.get(ok.path("Id").asText())));
    JsonNode failed = response.path("Failed");
    if (!failed.isArray() || failed.isEmpty()) {
      return new Answer(200, body);
    }
    ArrayNode stillFailed = JSON.createArrayNode();
    ArrayNode successful =
        response.has("Successful")
            ? (ArrayNode) response.get("Successful")
            : response.putArray("Successful");
    for (JsonNode entry : failed) {
      String handle = handles.get(entry.path("Id").asText());
      if (entry.path("Code").asText().endsWith(INVALID)
          && handle != null
          && deleted.contains(handle)) {
        successful.addObject().put("Id", entry.path("Id").asText());
      } else {
        stillFailed.add(entry);
      }
    }
    response.set("Failed", stillFailed);
    return new Answer(200, JSON.writeValueAsBytes(response));
  }

  /** A handle is the queue's: the same text on two queues is two handles. */
  private static String key(JsonNode request, String handle) {
    return request.path("QueueUrl").asText() + " " + handle;
  }
}
