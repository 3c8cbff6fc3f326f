package dev.evtctl.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Markdown document tells its reader to type, in order, read from its ```-fenced blocks:
 *
 * <ul>
 *   <li>a line {@code $ COMMAND} (a trailing {@code \} continues it on the next line) is a command;
 *       a {@code $ echo $?} line after it, and the number on the line below, state its exit code,
 *       which is 0 when nothing is stated;
 *   <li>in a {@code yaml} block (a CI job), each {@code run:} step's lines are commands that must
 *       exit 0, as a GitHub Actions step does, unless the line ends in {@code || [ $? -eq N ]},
 *       which allows N too;
 *   <li>a block right after a line ending in {@code `FILE`:} is that file's content: the reader has
 *       it in place before the document's first command (a CI job's repository holds its files).
 * </ul>
 */
public final class TourScript {

  /** One thing the reader does. */
  public sealed interface Step permits Command, File {
    String document();

    int line();
  }

  /** A shell command line, with the exit codes the document allows it. */
  public record Command(String document, int line, String text, Set<Integer> exits)
      implements Step {}

  /** A file the document shows whole, for its commands to read. */
  public record File(String document, int line, String name, String content) implements Step {}

  private static final Pattern RUN = Pattern.compile("^(\\s*)(?:-\\s+)?run:\\s*(.*)$");
  private static final Pattern ALLOWS =
      Pattern.compile("^(.*?)\\s*\\|\\|\\s*\\[\\s*\\$\\?\\s+-eq\\s+(\\d+)\\s*]\\s*$");
  private static final Pattern NAMES_FILE = Pattern.compile("`([\\w./-]+)`:\\s*$");

  private TourScript() {}

  public static List<Step> of(Path markdown, String name) throws IOException {
    List<String> lines = Files.readAllLines(markdown);
    List<Step> steps = new ArrayList<>();
    String fence = null;
    String fileNamed = null;
    int fenceLine = 0;
    StringBuilder block = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.strip().startsWith("```")) {
        if (fence == null) {
          fence = line.strip().substring(3).strip();
          fenceLine = i + 1;
          fileNamed = previousProse(lines, i);
          block.setLength(0);
        } else {
          if (fileNamed != null) {
            steps.add(new File(name, fenceLine, fileNamed, block.toString()));
          }
          fence = null;
        }
        continue;
      }
      if (fence == null) {
        continue;
      }
      block.append(line).append('\n');
      if (fence.equals("yaml")) {
        i = runStep(lines, i, name, steps);
      } else if (line.startsWith("$ ")) {
        int first = i;
        StringBuilder command = new StringBuilder(line.substring(2));
        while (command.toString().endsWith("\\") && i + 1 < lines.size()) {
          command.setLength(command.length() - 1);
          command = new StringBuilder(command.toString().strip());
          command.append(' ').append(lines.get(++i).strip());
        }
        String text = command.toString().strip();
        if (text.equals("echo $?")) {
          int code = Integer.parseInt(lines.get(++i).strip());
          Command stated = lastCommand(steps, name, first + 1);
          steps.set(
              steps.lastIndexOf(stated),
              new Command(stated.document(), stated.line(), stated.text(), Set.of(code)));
        } else {
          steps.add(new Command(name, first + 1, text, Set.of(0)));
        }
      }
    }
    // Files first, then the commands in the document's order.
    List<Step> ordered = new ArrayList<>();
    steps.stream().filter(step -> step instanceof File).forEach(ordered::add);
    steps.stream().filter(step -> step instanceof Command).forEach(ordered::add);
    return ordered;
  }

  /** The {@code run:} step at line {@code i}, if it is one; returns the last line it takes. */
  private static int runStep(List<String> lines, int i, String name, List<Step> steps) {
    Matcher run = RUN.matcher(lines.get(i));
    if (!run.matches()) {
      return i;
    }
    List<String> script = new ArrayList<>();
    List<Integer> numbers = new ArrayList<>();
    if (run.group(2).equals("|")) {
      int indent = run.group(1).length();
      while (i + 1 < lines.size()
          && (lines.get(i + 1).isBlank() || indentOf(lines.get(i + 1)) > indent + 2)) {
        script.add(lines.get(++i).strip());
        numbers.add(i + 1);
      }
    } else {
      script.add(run.group(2));
      numbers.add(i + 1);
    }
    for (int j = 0; j < script.size(); j++) {
      int number = numbers.get(j);
      StringBuilder command = new StringBuilder(script.get(j));
      while (command.toString().endsWith("\\") && j + 1 < script.size()) {
        command.setLength(command.length() - 1);
        command = new StringBuilder(command.toString().strip());
        command.append(' ').append(script.get(++j));
      }
      String text = withoutComment(command.toString()).strip();
      if (text.isEmpty()) {
        continue;
      }
      Matcher allows = ALLOWS.matcher(text);
      steps.add(
          allows.matches()
              ? new Command(
                  name, number, allows.group(1), Set.of(0, Integer.parseInt(allows.group(2))))
              : new Command(name, number, text, Set.of(0)));
    }
    return i;
  }

  private static Command lastCommand(List<Step> steps, String name, int line) {
    for (int i = steps.size() - 1; i >= 0; i--) {
      if (steps.get(i) instanceof Command command) {
        return command;
      }
    }
    throw new IllegalStateException(name + ":" + line + ": 'echo $?' follows no command");
  }

  /** The file a block holds, when the prose before it ends in {@code `FILE`:}. */
  private static String previousProse(List<String> lines, int fence) {
    for (int i = fence - 1; i >= 0; i--) {
      if (!lines.get(i).isBlank()) {
        Matcher named = NAMES_FILE.matcher(lines.get(i));
        return named.find() ? named.group(1) : null;
      }
    }
    return null;
  }

  private static int indentOf(String line) {
    return line.length() - line.stripLeading().length();
  }

  /** The line without a shell comment: a # that starts a word, outside quotes. */
  static String withoutComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  /**
   * The words of a simple command as a shell splits them (quotes and backslashes), or null when the
   * line is more than one command: a pipe, a redirection, a process substitution, a background or
   * command list, or a comment-free line with {@code $(...)}.
   */
  public static List<String> words(String command) {
    String line = withoutComment(command);
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        word.append(line.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else if ("|&;<>`".indexOf(c) >= 0
          || c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '(') {
        return null;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unbalanced quote in: " + command);
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
