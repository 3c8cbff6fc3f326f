package dev.evtctl.core.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.core.pipeline.Pipelines;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeedGeneratorTest {

  @Test
  void withoutAnInvalidRatioNoEventIsInvalidEvenWhenTheFirstRollsADuplicate() {
    // GIVEN only duplicates asked for: the first cannot be one, there is nothing to copy yet
    SeedGenerator generator =
        new SeedGenerator(Pipelines.builtIn("txma"), 1, 1, 0, 1, Instant.now());

    List<SeedGenerator.Kind> kinds = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      kinds.add(generator.next().kind());
    }

    assertThat(kinds.get(0)).isEqualTo(SeedGenerator.Kind.VALID);
    assertThat(kinds.subList(1, 20)).containsOnly(SeedGenerator.Kind.DUPLICATE);
  }

  @Test
  void theSameSeedGivesTheSameEvents() {
    SeedGenerator one =
        new SeedGenerator(Pipelines.builtIn("ledger"), 9, 3, 0.2, 0.2, Instant.EPOCH);
    SeedGenerator two =
        new SeedGenerator(Pipelines.builtIn("ledger"), 9, 3, 0.2, 0.2, Instant.EPOCH);
    for (int i = 0; i < 50; i++) {
      assertThat(one.next()).isEqualTo(two.next());
    }
  }
}
