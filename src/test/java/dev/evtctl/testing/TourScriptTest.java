package dev.evtctl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How ReadmeTourTest reads a document: its commands, their stated exit codes, its files. */
class TourScriptTest {

  @Test
  void readsCommandsExitCodesCiStepsAndFiles(@TempDir Path directory) throws IOException {
    Path markdown = directory.resolve("doc.md");
    Files.writeString(
        markdown,
        """
        Prose with `$ ./evtctl inline` is not a command.

        ```
        $ ./evtctl --local drain --queue audit \\
            --idle-timeout 5
         received  persisted
        $ echo $?
        3
        $ ./evtctl --local dlq list
        ```

        ```yaml
              - run: ./evtctl --local seed --queue audit   # a comment
              - run: ./evtctl --local drain --queue audit || [ $? -eq 3 ]
              - run: |
                  ./evtctl --local events --session s \\
                    --expect A=1
                  ./evtctl --local assert --file e.json
        ```

        with `e.json`:

        ```json
        {"events": []}
        ```
        """);

    List<TourScript.Step> steps = TourScript.of(markdown, "doc.md");

    assertThat(steps)
        .containsExactly(
            new TourScript.File("doc.md", 23, "e.json", "{\"events\": []}\n"),
            new TourScript.Command(
                "doc.md", 4, "./evtctl --local drain --queue audit --idle-timeout 5", Set.of(3)),
            new TourScript.Command("doc.md", 9, "./evtctl --local dlq list", Set.of(0)),
            new TourScript.Command("doc.md", 13, "./evtctl --local seed --queue audit", Set.of(0)),
            new TourScript.Command(
                "doc.md", 14, "./evtctl --local drain --queue audit", Set.of(0, 3)),
            new TourScript.Command(
                "doc.md", 16, "./evtctl --local events --session s --expect A=1", Set.of(0)),
            new TourScript.Command(
                "doc.md", 18, "./evtctl --local assert --file e.json", Set.of(0)));
  }

  @Test
  void splitsWordsAsAShellAndRefusesMoreThanOneCommand() {
    assertThat(TourScript.words("./evtctl dlq redrive --filter '/body/a=~X .*' --dry-run"))
        .containsExactly("./evtctl", "dlq", "redrive", "--filter", "/body/a=~X .*", "--dry-run");
    assertThat(TourScript.words("export A=1 B=\"two words\"  # why"))
        .containsExactly("export", "A=1", "B=two words");
    assertThat(TourScript.words("source <(./evtctl completion bash)")).isNull();
    assertThat(TourScript.words("aws logs filter-log-events | tr '\\t' '\\n'")).isNull();
    assertThat(TourScript.words("moto_server -p 5000 &")).isNull();
  }
}
