package dev.evtctl.bench;

import dev.evtctl.cli.Evtctl;
import dev.evtctl.testing.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/**
 * {@code evtctl logs --group}, and {@code evtctl trace} of a session, against the equivalent {@code
 * aws logs filter-log-events} (awscli, which follows every page too), in one run on the same
 * moto_server holding N drain-shaped lines in 4 streams. Each command runs as a process of its own
 * (the evtctl one a JVM on the test class path, as {@code java -cp ... Evtctl}), output to a file,
 * once as a warm-up and then R times, alternating; the median is reported. A benchmark, not a test:
 * it asserts nothing and CI does not run it.
 *
 * <pre>
 * ./mvnw -q -Pbench test-compile exec:exec -Dbench.main=dev.evtctl.bench.LogsBenchmark -Dbench.args="100000 3"
 * </pre>
 */
public final class LogsBenchmark {

  public static void main(String[] args) throws Exception {
    int lines = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String group = "/evtctl/bench/logs";
    try (MotoServer moto = MotoServer.start();
        CloudWatchLogsClient logs = moto.logs()) {
      String session = fill(logs, group, lines);
      Path dir = Files.createTempDirectory("logs-bench");
      String endpoint = moto.endpoint().toString();
      // trace reads the queue, its DLQ and the table too: a txma stack on the same moto_server.
      time(
          evtctl(
              "--region",
              "us-east-1",
              "--endpoint-url",
              endpoint,
              "stack",
              "create",
              "-p",
              "txma",
              "-n",
              "bench"),
          dir);
      List<List<String>> commands =
          List.of(
              List.of(
                  "aws",
                  "--endpoint-url",
                  endpoint,
                  "--region",
                  "us-east-1",
                  "logs",
                  "filter-log-events",
                  "--log-group-name",
                  group,
                  "--output",
                  "json"),
              evtctl(
                  "--region",
                  "us-east-1",
                  "--endpoint-url",
                  endpoint,
                  "logs",
                  "--group",
                  group,
                  "-o",
                  "ndjson"),
              List.of(
                  "aws",
                  "--endpoint-url",
                  endpoint,
                  "--region",
                  "us-east-1",
                  "logs",
                  "filter-log-events",
                  "--log-group-name",
                  group,
                  "--filter-pattern",
                  "{ ($.sessionId = \"" + session + "\") }",
                  "--output",
                  "json"),
              evtctl(
                  "--region",
                  "us-east-1",
                  "--endpoint-url",
                  endpoint,
                  "logs",
                  "--group",
                  group,
                  "--session",
                  session,
                  "-o",
                  "ndjson"),
              evtctl(
                  "--region",
                  "us-east-1",
                  "--endpoint-url",
                  endpoint,
                  "trace",
                  session,
                  "-q",
                  "bench",
                  "--log-group",
                  group,
                  "-o",
                  "ndjson"));
      long[][] times = new long[commands.size()][runs];
      for (int c = 0; c < commands.size(); c++) {
        time(commands.get(c), dir); // warm-up: moto's and the OS's caches
      }
      for (int r = 0; r < runs; r++) {
        for (int c = 0; c < commands.size(); c++) {
          times[c][r] = time(commands.get(c), dir);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%d lines, 4 streams, moto_server %s; median of %d runs%n",
          lines,
          endpoint,
          runs);
      String[] names = {
        "aws logs filter-log-events (all)",
        "evtctl logs --group (all)",
        "aws logs filter-log-events --filter-pattern sessionId",
        "evtctl logs --group --session",
        "evtctl trace SESSION -q bench --log-group"
      };
      for (int c = 0; c < commands.size(); c++) {
        System.out.printf(
            Locale.ROOT,
            "%-55s %7.2f s  (runs: %s)%n",
            names[c],
            median(times[c]) / 1e3,
            Arrays.toString(times[c]));
      }
      System.out.printf(
          Locale.ROOT,
          "ratio evtctl/aws, all: %.2f; session: %.2f; trace of the session: %.2f%n",
          median(times[1]) / (double) median(times[0]),
          median(times[3]) / (double) median(times[2]),
          median(times[4]) / (double) median(times[2]));
    }
    System.exit(0);
  }

  private static List<String> evtctl(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Evtctl.class.getName());
    command.addAll(List.of(args));
    return command;
  }

  /** N lines as a drain writes them, in 4 streams, in PutLogEvents calls under 1 MB; a session. */
  private static String fill(CloudWatchLogsClient logs, String group, int lines) {
    logs.createLogGroup(r -> r.logGroupName(group));
    String[] sessions = new String[50];
    for (int i = 0; i < sessions.length; i++) {
      sessions[i] = UUID.randomUUID().toString();
    }
    long start = System.currentTimeMillis() - 3_600_000L;
    int perStream = lines / 4;
    for (int s = 0; s < 4; s++) {
      String stream = "evtctl-drain/2026/12/02/bench-" + s;
      logs.createLogStream(r -> r.logGroupName(group).logStreamName(stream));
      List<InputLogEvent> batch = new ArrayList<>();
      for (int i = 0; i < perStream; i++) {
        long time = start + i;
        String code = i % 10 == 0 ? "INVALID_EVENT" : "DUPLICATE_EVENT";
        batch.add(
            InputLogEvent.builder()
                .timestamp(time)
                .message(
                    "{\"timestamp\":\""
                        + java.time.Instant.ofEpochMilli(time)
                        + "\",\"message\":\"Event"
                        + " already stored\",\"level\":\""
                        + (i % 10 == 0 ? "WARN" : "INFO")
                        + "\",\"code\":\""
                        + code
                        + "\",\"pipeline\":\"txma\",\"messageId\":\""
                        + UUID.randomUUID()
                        + "\",\"sessionId\":\""
                        + sessions[i % sessions.length]
                        + "\",\"eventName\":\"DCMAW_ASYNC_CRI_START\"}")
                .build());
        if (batch.size() == 3_000 || i == perStream - 1) {
          List<InputLogEvent> events = List.copyOf(batch);
          logs.putLogEvents(r -> r.logGroupName(group).logStreamName(stream).logEvents(events));
          batch.clear();
        }
      }
    }
    return sessions[0];
  }

  private static long time(List<String> command, Path dir) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve("out").toFile())
            .redirectError(dir.resolve("err").toFile());
    Map<String, String> env = builder.environment();
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    long begin = System.nanoTime();
    int exit = builder.start().waitFor();
    long millis = (System.nanoTime() - begin) / 1_000_000;
    if (exit != 0) {
      throw new IllegalStateException(
          String.join(" ", command).substring(0, 80)
              + " exited "
              + exit
              + ": "
              + Files.readString(dir.resolve("err")));
    }
    return millis;
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
