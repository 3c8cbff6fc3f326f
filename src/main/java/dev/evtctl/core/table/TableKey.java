package dev.evtctl.core.table;

import dev.evtctl.core.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * A table's primary key as DescribeTable gives it: the partition key and the sort key if there is
 * one, each with its type (S, N or B), and what DynamoDB refuses of an item's key.
 *
 * @param attributes the partition key first
 */
public record TableKey(List<Attribute> attributes) {

  /** One key attribute: its name, its type, and the most bytes a string or binary value holds. */
  public record Attribute(String name, ScalarAttributeType type, int maxBytes) {}

  public TableKey {
    attributes = List.copyOf(attributes);
  }

  /** The key of the table (a missing table fails here, as DescribeTable does). */
  public static TableKey of(DynamoDbClient dynamoDb, String table) {
    TableDescription description = dynamoDb.describeTable(r -> r.tableName(table)).table();
    List<Attribute> attributes = new ArrayList<>();
    for (KeyType keyType : List.of(KeyType.HASH, KeyType.RANGE)) {
      for (KeySchemaElement element : description.keySchema()) {
        if (element.keyType() == keyType) {
          ScalarAttributeType type =
              description.attributeDefinitions().stream()
                  .filter(d -> d.attributeName().equals(element.attributeName()))
                  .map(AttributeDefinition::attributeType)
                  .findFirst()
                  .orElseThrow();
          int maxBytes =
              keyType == KeyType.HASH ? Pipeline.PARTITION_KEY_BYTES : Pipeline.SORT_KEY_BYTES;
          attributes.add(new Attribute(element.attributeName(), type, maxBytes));
        }
      }
    }
    return new TableKey(attributes);
  }

  /**
   * Why DynamoDB would refuse the item's key, or null: an attribute missing, of another type than
   * the table's, empty, or too long. Names the attribute, never its value.
   */
  public String problem(Map<String, AttributeValue> item) {
    for (Attribute key : attributes) {
      AttributeValue value = item.get(key.name());
      if (value == null) {
        return "missing key attribute " + key.name();
      }
      String type = type(value);
      if (!type.equals(key.type().toString())) {
        return String.format(
            "key attribute %s is of type %s; the table's key is of type %s",
            key.name(), type, key.type());
      }
      long bytes =
          switch (value.type()) {
            case S -> ItemSize.utf8Length(value.s());
            case B -> value.b().asByteArray().length;
            default -> 1; // a number: at most 38 digits, checked as the item was read
          };
      if (bytes == 0) {
        // DynamoDB allows empty strings and binaries everywhere but in keys.
        return "key attribute " + key.name() + " is empty; DynamoDB refuses empty key values";
      }
      if (bytes > key.maxBytes()) {
        return String.format(
            Locale.ROOT,
            "key attribute %s is %,d bytes; DynamoDB's limit for a %s key is %,d",
            key.name(),
            bytes,
            key.maxBytes() == Pipeline.PARTITION_KEY_BYTES ? "partition" : "sort",
            key.maxBytes());
      }
    }
    return null;
  }

  /**
   * The item's key as DynamoDB tells keys apart, for an item whose key has no problem: numbers by
   * value (1 and 1.0 are one key), binaries by their bytes.
   */
  public List<String> identity(Map<String, AttributeValue> item) {
    List<String> identity = new ArrayList<>(attributes.size());
    for (Attribute key : attributes) {
      AttributeValue value = item.get(key.name());
      identity.add(
          switch (value.type()) {
            case N -> DynamoNumber.parse(value.n()).canonical();
            case B -> Base64.getEncoder().encodeToString(value.b().asByteArray());
            default -> value.s();
          });
    }
    return identity;
  }

  /** The names of the key attributes, the partition key first. */
  public List<String> names() {
    return attributes.stream().map(Attribute::name).toList();
  }

  private static String type(AttributeValue value) {
    return value.type() == AttributeValue.Type.NUL ? "NULL" : value.type().toString();
  }
}
