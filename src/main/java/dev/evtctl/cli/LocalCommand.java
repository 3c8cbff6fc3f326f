package dev.evtctl.cli;

import dev.evtctl.local.FreePort;
import dev.evtctl.local.LocalBackends;
import dev.evtctl.local.LocalInstance;
import dev.evtctl.local.PortInUseException;
import dev.evtctl.local.PrivateFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** SQS and DynamoDB on one local endpoint, with nothing installed. */
@Command(
    name = "local",
    footerHeading = "%nExamples:%n",
    footer = {
      "  Start the local stack in the background, then see it:",
      "    evtctl local start --detach",
      "    evtctl local status"
    },
    mixinStandardHelpOptions = true,
    description = "Run embedded SQS (ElasticMQ) and DynamoDB (DynamoDB Local) on one endpoint.",
    subcommands = {LocalCommand.Start.class, LocalCommand.Stop.class, LocalCommand.Status.class})
final class LocalCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The port option of local start. */
  static final class PortOption {
    @Option(
        names = "--port",
        paramLabel = "PORT",
        defaultValue = "${env:EVTCTL_LOCAL_PORT:-4566}",
        description = "Edge port (default: EVTCTL_LOCAL_PORT, else 4566 as LocalStack).")
    int port;
  }

  /** The port option of local stop and status, which find a running instance without it. */
  static final class FoundPortOption {
    @Option(
        names = "--port",
        paramLabel = "PORT",
        description =
            "Edge port (default: EVTCTL_LOCAL_PORT, else the instances evtctl local start"
                + " recorded, else 4566).")
    Integer port;

    /** The ports meant: --port, else EVTCTL_LOCAL_PORT, else every recorded instance's. */
    List<Integer> ports(Map<String, String> environment) {
      if (port != null) {
        OptionBounds.check("--port", port, 1, 65535);
        return List.of(port);
      }
      String variable = environment.get("EVTCTL_LOCAL_PORT");
      if (variable != null && !variable.isBlank()) {
        try {
          return List.of(Integer.parseInt(variable.strip()));
        } catch (NumberFormatException e) {
          throw new CommandFailedException(
              ExitCode.USAGE, "EVTCTL_LOCAL_PORT must be a port, not '" + variable + "'");
        }
      }
      return LocalInstance.recorded(LocalInstance.home(environment)).stream()
          .map(LocalInstance::port)
          .toList();
    }
  }

  @Command(
      name = "start",
      footerHeading = "%nExamples:%n",
      footer = {
        "  In the background, on the default port 4566:",
        "    evtctl local start --detach",
        "",
        "  On another port, keeping what it holds across restarts:",
        "    evtctl local start --detach --port 4600 --data-dir evtctl-data"
      },
      mixinStandardHelpOptions = true,
      description = {
        "Start the local endpoint; in the foreground until Ctrl-C, or with --detach in the background. Then: aws --endpoint-url http://127.0.0.1:4566 sqs list-queues, or evtctl --local ..."
      })
  static final class Start implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin PortOption port;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description =
            "Keep tables, queues and messages here across restarts (default: memory). Items, and"
                + " messages sent, received or deleted, are in the files before the request is"
                + " answered, so a kill -9 loses none of them; a queue's creation or attribute"
                + " change is written a few milliseconds after its answer. The message store is"
                + " not synced to the disk: a power cut may lose more.")
    Path dataDir;

    @Option(names = "--detach", description = "Start in the background and return.")
    boolean detach;

    @Mixin ConsoleOptions console;

    @Option(
        names = "--ttl-sweep",
        paramLabel = "DUR",
        defaultValue = "60s",
        converter = DurationConverter.class,
        description =
            "How often to delete expired items from tables with TTL enabled, as DynamoDB does"
                + " within days (DynamoDB Local alone never does): items whose TTL attribute is a"
                + " Number of epoch seconds in the past (at most 5 years, as DynamoDB), each on the"
                + " condition that it still is. 0 turns it off (default: ${DEFAULT-VALUE}).")
    Duration ttlSweep;

    @Option(
        names = "--allow-origin",
        paramLabel = "ORIGIN",
        description =
            "Let web pages from ORIGIN (e.g. http://localhost:3000; * for any) use the endpoint;"
                + " repeatable. By default a request with a browser Origin, a foreign Host or no"
                + " signature is refused (403), so no page you visit can change your queues.")
    List<String> allowedOrigins = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      OptionBounds.check("--port", port.port, 1, 65535);
      if (ttlSweep.isNegative()) {
        throw new CommandFailedException(ExitCode.USAGE, "--ttl-sweep must be 0 or more");
      }
      PrintWriter err = spec.commandLine().getErr();
      // A bind fails at once; a program on the port that is not an HTTP server may never answer
      // the health check, so that is asked only after, and briefly (evtctl's answers in ms).
      if (!FreePort.isFree("127.0.0.1", port.port)) {
        if (LocalInstance.healthy(port.port, Duration.ofMillis(500))) {
          throw new CommandFailedException(
              ExitCode.USAGE,
              "an endpoint already answers on port "
                  + port.port
                  + " (evtctl local status; or --port)");
        }
        throw new PortInUseException("127.0.0.1", port.port);
      }
      String token = console.checkedToken(spec);
      return detach ? startDetached(err, token) : runInForeground(err, token);
    }

    private int runInForeground(PrintWriter err, String token) throws InterruptedException {
      LocalBackends backends =
          LocalBackends.start(port.port, dataDir, Set.copyOf(allowedOrigins), ttlSweep);
      LocalInstance instance =
          new LocalInstance(
              ProcessHandle.current().pid(),
              port.port,
              dataDir == null ? null : dataDir.toAbsolutePath().toString());
      instance.write();
      dev.evtctl.serve.EvtctlServer server;
      try {
        server =
            console.enabled
                ? console.start(spec, backends.endpoint(), token, null, null, null)
                : null;
      } catch (CommandFailedException e) {
        backends.close();
        throw e;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    if (server != null) {
                      server.close();
                    }
                    backends.close();
                    instance.forget();
                    stopped.countDown();
                  },
                  "evtctl-local-stop"));
      err.printf(
          "evtctl local: SQS and DynamoDB on %s (%s); Ctrl-C stops%n",
          backends.endpoint(), dataDir == null ? "in memory" : "data in " + dataDir);
      err.printf("  export AWS_ENDPOINT_URL=%s   # or evtctl --local ...%n", backends.endpoint());
      if (server != null) {
        err.printf("evtctl local: console %s%n", server.consoleUrl());
      }
      err.flush();
      stopped.await();
      return ExitCode.OK;
    }

    private int startDetached(PrintWriter err, String token)
        throws IOException, InterruptedException {
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.add("-cp");
      command.add(ownClassPath());
      command.add(Evtctl.class.getName());
      command.add("local");
      command.add("start");
      command.add("--port");
      command.add(Integer.toString(port.port));
      if (dataDir != null) {
        command.add("--data-dir");
        command.add(dataDir.toAbsolutePath().toString());
      }
      for (String origin : allowedOrigins) {
        command.add("--allow-origin");
        command.add(origin);
      }
      command.add("--ttl-sweep");
      command.add(ttlSweep.toMillis() + "ms");
      if (console.enabled) {
        command.add("--console");
        command.add("--console-port");
        command.add(Integer.toString(console.port));
      }
      PrivateFiles.directory(LocalInstance.home());
      PrivateFiles.create(LocalInstance.logFile(port.port));
      Path log = LocalInstance.logFile(port.port);
      ProcessBuilder builder = new ProcessBuilder(command);
      if (console.enabled) {
        // in the environment, not the command line: other users' ps shows arguments
        builder.environment().put(dev.evtctl.serve.EvtctlServer.TOKEN_VARIABLE, token);
      }
      Process process =
          builder
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (System.nanoTime() < deadline) {
        if (LocalInstance.healthy(port.port) && (!console.enabled || accepts(console.port))) {
          err.printf(
              "evtctl local: started in the background (pid %d) on http://127.0.0.1:%d; log %s%n",
              process.pid(), port.port, log);
          if (console.enabled) {
            err.printf(
                "evtctl local: console %s%n",
                dev.evtctl.serve.EvtctlServer.consoleUrl(console.port, token));
          }
          return ExitCode.OK;
        }
        if (!process.isAlive()) {
          // The child's own one-line reason (a port taken meanwhile, a data directory it cannot
          // use), with its exit code: a usage error stays one.
          String reason = childError(log);
          throw new CommandFailedException(
              process.exitValue() == ExitCode.USAGE ? ExitCode.USAGE : ExitCode.BACKEND,
              reason == null
                  ? "the local endpoint did not start; see " + log
                  : reason + " (log: " + log + ")");
        }
        Thread.sleep(200);
      }
      process.destroy();
      throw new CommandFailedException(
          ExitCode.BACKEND, "the local endpoint did not answer within 90 s; see " + log);
    }

    /** Whether something accepts connections on the port (a connect: a bind would race it). */
    private static boolean accepts(int port) {
      try (java.net.Socket socket = new java.net.Socket()) {
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    /**
     * The class path for the background process. Run from a jar, it is a copy of that jar in
     * ~/.evtctl/lib: a rebuild replacing target/evtctl.jar would otherwise pull classes from under
     * the running endpoint (its next class load fails). Copies of other builds are removed.
     */
    private static String ownClassPath() throws IOException {
      String classPath = System.getProperty("java.class.path");
      Path jar = Path.of(classPath);
      if (classPath.contains(java.io.File.pathSeparator)
          || !classPath.endsWith(".jar")
          || !Files.isRegularFile(jar)) {
        return classPath;
      }
      Path lib = PrivateFiles.directory(LocalInstance.home().resolve("lib"));
      String name =
          "evtctl-" + Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() + ".jar";
      Path copy = lib.resolve(name);
      if (!Files.exists(copy)) {
        Path partial = Files.createTempFile(lib, "evtctl-", ".part");
        Files.copy(jar, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, copy, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      try (var old = Files.list(lib)) {
        old.filter(p -> !p.equals(copy))
            .forEach(
                p -> {
                  try {
                    // A running endpoint keeps its open copy (POSIX); elsewhere this may fail.
                    Files.deleteIfExists(p);
                  } catch (IOException e) {
                    // in use: left for the next start
                  }
                });
      }
      return copy.toString();
    }

    /** The last error line ("evtctl: ...") the background process wrote, without its prefix. */
    private static String childError(Path log) throws IOException {
      String reason = null;
      for (String line : Files.readAllLines(log)) {
        if (line.startsWith("evtctl: ")) {
          reason = line.substring("evtctl: ".length());
        }
      }
      return reason;
    }

    private static java.io.File nullDevice() {
      return new java.io.File(
          System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
  }

  @Command(
      name = "stop",
      footerHeading = "%nExamples:%n",
      footer = {
        "  Stop the one on the default port, or another:",
        "    evtctl local stop",
        "    evtctl local stop --port 4600"
      },
      mixinStandardHelpOptions = true,
      description = "Stop a detached local endpoint.")
  static final class Stop implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin FoundPortOption port;

    @Override
    public Integer call() throws InterruptedException {
      Map<String, String> environment = Evtctl.awsOptions(spec).environment();
      java.nio.file.Path home = LocalInstance.home(environment);
      List<LocalInstance> running =
          port.ports(environment).stream()
              .map(p -> LocalInstance.read(home, p))
              .flatMap(java.util.Optional::stream)
              .filter(LocalInstance::alive)
              .toList();
      if (running.isEmpty()) {
        throw new CommandFailedException(
            ExitCode.BACKEND,
            port.port == null
                ? "no evtctl local is running (none recorded in " + home + ")"
                : "no evtctl local is running on port " + port.port);
      }
      if (running.size() > 1) {
        throw new CommandFailedException(
            ExitCode.USAGE,
            "several evtctl local instances are running (ports "
                + running.stream()
                    .map(instance -> Integer.toString(instance.port()))
                    .collect(java.util.stream.Collectors.joining(", "))
                + "): give --port");
      }
      LocalInstance instance = running.get(0);
      ProcessHandle process = ProcessHandle.of(instance.pid()).orElseThrow();
      process.destroy();
      try {
        process.onExit().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        process.destroyForcibly();
      }
      instance.forget(home);
      spec.commandLine()
          .getErr()
          .printf("evtctl local: stopped %s (pid %d)%n", instance.endpoint(), instance.pid());
      return ExitCode.OK;
    }
  }

  @Command(
      name = "status",
      footerHeading = "%nExamples:%n",
      footer = {
        "  Whether the local stack runs, and where:",
        "    evtctl local status",
        "    evtctl local status -o json"
      },
      mixinStandardHelpOptions = true,
      description = "Is the local endpoint up?")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin FoundPortOption port;

    /** One row per instance: each one recorded, or the port asked for, or 4566 when none is. */
    @Override
    public Integer call() {
      Map<String, String> environment = Evtctl.awsOptions(spec).environment();
      java.nio.file.Path home = LocalInstance.home(environment);
      List<Integer> ports = port.ports(environment);
      if (ports.isEmpty()) {
        ports = List.of(LocalBackends.DEFAULT_PORT);
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      boolean anyRunning = false;
      for (int each : ports) {
        boolean healthy = LocalInstance.healthy(each);
        anyRunning |= healthy;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("endpoint", LocalInstance.endpoint(each).toString());
        row.put("state", healthy ? "running" : "stopped");
        LocalInstance instance = LocalInstance.read(home, each).orElse(null);
        row.put("pid", instance == null ? null : instance.pid());
        row.put(
            "data", instance == null || instance.dataDir() == null ? "memory" : instance.dataDir());
        rows.add(row);
      }
      Evtctl.output(spec).rows(List.copyOf(rows.get(0).keySet()), rows);
      return anyRunning ? ExitCode.OK : ExitCode.BACKEND;
    }
  }
}
