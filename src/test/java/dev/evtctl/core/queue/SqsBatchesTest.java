package dev.evtctl.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SqsBatchesTest {

  @Test
  void cutsAListIntoBatchesOfTenInOrder() {
    // GIVEN 23 entries
    List<Integer> entries = IntStream.range(0, 23).boxed().toList();

    // WHEN they are cut to SQS's batch limit
    List<List<Integer>> chunks = SqsBatches.chunks(entries);

    // THEN two full batches and the rest, in order
    assertThat(chunks)
        .containsExactly(
            IntStream.range(0, 10).boxed().toList(),
            IntStream.range(10, 20).boxed().toList(),
            List.of(20, 21, 22));
  }

  @Test
  void anExactMultipleHasNoEmptyLastBatchAndAnEmptyListNoBatch() {
    assertThat(SqsBatches.chunks(IntStream.range(0, 10).boxed().toList())).hasSize(1);
    assertThat(SqsBatches.chunks(List.of())).isEmpty();
  }
}
