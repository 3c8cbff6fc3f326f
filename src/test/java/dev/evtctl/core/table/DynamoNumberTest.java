package dev.evtctl.core.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Numbers as DynamoDB takes them; the cases are what DynamoDB Local answered to PutItem. */
class DynamoNumberTest {

  private static String problem(String text) {
    DynamoNumber number = DynamoNumber.parse(text);
    return number == null ? "not a number" : number.problem();
  }

  @Test
  void theNumbersDynamoDbTakes() {
    for (String text :
        new String[] {
          "+5",
          ".5",
          "5.",
          "1e5",
          "1E+5",
          "-0",
          "00012",
          "0.000",
          "0e999999",
          "12345678901234567890123456789012345678",
          "1234567890123456789012345678901234567800000",
          "1E-130",
          "-1E-130",
          "9.9999999999999999999999999999999999999E+125"
        }) {
      assertThat(problem(text)).as(text).isNull();
    }
  }

  @Test
  void theNumbersDynamoDbRefuses() {
    assertThat(problem(" 5")).isEqualTo("not a number");
    assertThat(problem("0x10")).isEqualTo("not a number");
    assertThat(problem("-")).isEqualTo("not a number");
    assertThat(problem("")).isEqualTo("not a number");
    assertThat(problem(".")).isEqualTo("not a number");
    assertThat(problem("NaN")).isEqualTo("not a number");
    assertThat(problem("123456789012345678901234567890123456789"))
        .isEqualTo("has 39 significant digits; DynamoDB keeps at most 38");
    assertThat(problem("1E126")).startsWith("is beyond DynamoDB's range");
    assertThat(problem("-1E126")).startsWith("is beyond DynamoDB's range");
    assertThat(problem("1e999999999999999999999")).startsWith("is beyond DynamoDB's range");
    assertThat(problem("1E-131")).startsWith("is too small for DynamoDB");
  }

  @Test
  void oneValueWrittenInManyWaysIsOneNumber() {
    assertThat(DynamoNumber.parse("1").canonical())
        .isEqualTo(DynamoNumber.parse("1.0").canonical())
        .isEqualTo(DynamoNumber.parse("10E-1").canonical())
        .isEqualTo(DynamoNumber.parse("+001").canonical());
    assertThat(DynamoNumber.parse("0").canonical())
        .isEqualTo(DynamoNumber.parse("-0.00").canonical());
    assertThat(DynamoNumber.parse("-1").canonical())
        .isNotEqualTo(DynamoNumber.parse("1").canonical());
  }

  @Test
  void aNumberOfMillionsOfDigitsIsCheckedAtOnce() {
    // BigDecimal took 96 s to parse this one.
    String huge = "1" + "0".repeat(2_000_000);
    assertTimeoutPreemptively(
        Duration.ofSeconds(2),
        () -> assertThat(problem(huge)).startsWith("is beyond DynamoDB's range"));
  }
}
