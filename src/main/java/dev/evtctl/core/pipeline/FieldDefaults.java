package dev.evtctl.core.pipeline;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * Values for fields an event leaves out (missing, null or empty), as a pipeline's {@code defaults}
 * give them: the original dequeue Lambda stores a client-credentials event without a session under
 * {@code SESSION#UNKNOWN}; the ledger takes the processing time for a missing {@code created_at}. A
 * default may hold for some event types only. Keys and items read a field through its default; the
 * stored event stays as it was received.
 */
public final class FieldDefaults {

  public static final FieldDefaults NONE = new FieldDefaults(null, List.of());

  /** One default: the field, its value (a template of variables), the event types it holds for. */
  private record Default(String field, Template value, Set<String> eventTypes) {}

  private final JsonPointer eventType;
  private final List<Default> defaults;

  private FieldDefaults(JsonPointer eventType, List<Default> defaults) {
    this.eventType = eventType;
    this.defaults = defaults;
  }

  static FieldDefaults compile(List<PipelineDefinition.FieldDefault> specs, JsonPointer eventType) {
    if (specs == null || specs.isEmpty()) {
      return NONE;
    }
    List<Default> defaults =
        specs.stream()
            .map(
                spec -> {
                  if (spec.field() == null || spec.value() == null) {
                    throw new PipelineDefinitionException("a default needs a field and a value");
                  }
                  JsonPointer field = Template.pointer(spec.field(), "defaults");
                  Template value = Template.parse(spec.value());
                  if (!value.pointers().isEmpty()) {
                    throw new PipelineDefinitionException(
                        "default of " + spec.field() + ": a value is text and variables only");
                  }
                  if (spec.eventTypes() != null && eventType == null) {
                    throw new PipelineDefinitionException(
                        "default of " + spec.field() + ": eventTypes needs the eventType pointer");
                  }
                  return new Default(
                      field.toString(),
                      value,
                      spec.eventTypes() == null ? null : Set.copyOf(spec.eventTypes()));
                })
            .toList();
    return new FieldDefaults(eventType, defaults);
  }

  /** The default of the field for this event, or null. */
  String valueFor(JsonPointer field, ItemContext context) {
    if (defaults.isEmpty()) {
      return null;
    }
    String name = field.toString();
    for (Default d : defaults) {
      if (d.field().equals(name) && holdsFor(d, context.event())) {
        return d.value().render(context);
      }
    }
    return null;
  }

  /** The event types a default of this field holds for (all: null), for reasons. */
  Set<String> eventTypesOf(String field) {
    return defaults.stream()
        .filter(d -> d.field().equals(field))
        .map(Default::eventTypes)
        .findFirst()
        .orElse(Set.of());
  }

  private boolean holdsFor(Default d, JsonNode event) {
    if (d.eventTypes() == null) {
      return true;
    }
    String type = Template.scalar(event, eventType);
    return type != null && d.eventTypes().contains(type);
  }
}
