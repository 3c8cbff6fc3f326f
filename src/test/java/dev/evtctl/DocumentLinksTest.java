package dev.evtctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of README.md and docs/*.md leads somewhere: the file exists, and a {@code
 * #fragment} into a Markdown file names one of its headings (as GitHub makes anchors of them).
 * Links to other sites are not followed.
 */
class DocumentLinksTest {

  private static final Path REPOSITORY = Path.of("").toAbsolutePath();

  /** [text](target) and [text](target "title"); images too. */
  private static final Pattern LINK =
      Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

  @Test
  void everyRelativeLinkResolves() throws IOException {
    List<String> broken = new ArrayList<>();
    List<Path> documents = documents();
    assertThat(documents).hasSizeGreaterThan(5);
    int links = 0;
    for (Path document : documents) {
      List<String> lines = Files.readAllLines(document);
      boolean fenced = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.strip().startsWith("```")) {
          fenced = !fenced;
        }
        if (fenced) {
          continue;
        }
        Matcher link = LINK.matcher(withoutCode(line));
        while (link.find()) {
          String target = link.group(1);
          if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
            continue; // https:, mailto:
          }
          links++;
          String problem = problem(document, target);
          if (problem != null) {
            broken.add(
                REPOSITORY.relativize(document) + ":" + (i + 1) + ": " + target + ": " + problem);
          }
        }
      }
    }
    assertThat(links).isGreaterThan(10);
    assertThat(broken).isEmpty();
  }

  private static List<Path> documents() throws IOException {
    List<Path> documents = new ArrayList<>(List.of(REPOSITORY.resolve("README.md")));
    try (Stream<Path> docs = Files.list(REPOSITORY.resolve("docs"))) {
      docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    return documents;
  }

  private static String problem(Path document, String target) throws IOException {
    int hash = target.indexOf('#');
    String file = hash < 0 ? target : target.substring(0, hash);
    Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
    if (!resolved.startsWith(REPOSITORY)) {
      return "outside the repository";
    }
    if (!Files.exists(resolved)) {
      return "no such file";
    }
    if (hash >= 0 && resolved.toString().endsWith(".md")) {
      String fragment = target.substring(hash + 1);
      if (!anchors(resolved).contains(fragment)) {
        return "no heading makes the anchor #" + fragment;
      }
    }
    return null;
  }

  /** GitHub's anchors: the heading lower-cased, punctuation dropped, spaces made hyphens. */
  static List<String> anchors(Path markdown) throws IOException {
    List<String> anchors = new ArrayList<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(markdown)) {
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
      }
      if (!fenced && line.matches("^#{1,6} .*")) {
        String heading = line.replaceFirst("^#+ ", "").strip().toLowerCase(Locale.ROOT);
        String anchor = heading.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
        String unique = anchor;
        for (int n = 1; anchors.contains(unique); n++) {
          unique = anchor + "-" + n;
        }
        anchors.add(unique);
      }
    }
    return anchors;
  }

  /** The line without its `code spans`, where [x](y) is text, not a link. */
  private static String withoutCode(String line) {
    return line.replaceAll("`[^`]*`", "");
  }
}
