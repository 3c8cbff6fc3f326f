package dev.evtctl.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.QueueDepth;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's chromium and chromium-driver, which .ci/run
 * installs; skipped where they are absent): queues, the depth plot moving, a DLQ peeked, a dry-run
 * and a confirmed redrive, a session looked up, and no way in without the token. Screenshots of the
 * main pages go to target/console-screenshots (docs/ holds copies).
 */
@ExtendWith(EmbeddedAws.class)
class ConsoleBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

  private static WebDriver browser;

  @BeforeAll
  static void startBrowser() {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "Debian's chromium and chromium-driver are not installed (apt-get install chromium"
            + " chromium-driver)");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait(browser, Duration.ofSeconds(20));
  }

  private static void screenshot(String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  private static String event(String session, String name, long timestamp) {
    return "{\"event_name\":\""
        + name
        + "\",\"component_id\":\"c\",\"timestamp\":"
        + timestamp
        + ",\"user\":{\"session_id\":\""
        + session
        + "\"}}";
  }

  @Test
  void withoutTheTokenTheConsoleIsRefused(EmbeddedAws.Backends backends) {
    try (ServedStack served = new ServedStack(backends, "txma")) {
      browser.manage().deleteAllCookies();
      browser.get(served.server.url().toString());
      assertThat(browser.findElement(By.tagName("body")).getText())
          .contains("the console needs its token");
      browser.get(served.server.url() + "api/queues");
      assertThat(browser.findElement(By.tagName("body")).getText())
          .contains("the console needs its token");
    }
  }

  @Test
  void queuesDepthPeekRedriveAndASession(EmbeddedAws.Backends backends) throws Exception {
    try (ServedStack served = new ServedStack(backends, "txma")) {
      String queue = served.names.queue();
      String dlq = served.names.deadLetterQueue();
      String dlqUrl = backends.sqs().getQueueUrl(r -> r.queueName(dlq)).queueUrl();
      String session = UUID.randomUUID().toString();
      for (int i = 0; i < 2; i++) {
        String body = event(session, "DCMAW_ASYNC_CRI_START", 1763900000L + i);
        backends.sqs().sendMessage(r -> r.queueUrl(dlqUrl).messageBody(body));
      }

      // open the console with the token: the seeded queues, linked to each other
      browser.manage().window().setSize(new Dimension(1280, 1000));
      browser.get(served.server.consoleUrl().toString());
      waiting()
          .until(
              ExpectedConditions.presenceOfElementLocated(
                  By.cssSelector("#queues-table tr[data-queue='" + queue + "']")));
      assertThat(
              browser
                  .findElement(By.cssSelector("#queues-table tr[data-queue='" + queue + "']"))
                  .getText())
          .contains("DLQ: " + dlq);
      assertThat(
              browser
                  .findElement(By.cssSelector("#queues-table tr[data-queue='" + dlq + "']"))
                  .getText())
          .contains("DLQ of: " + queue);

      // the depth plot moves while messages are seeded
      waiting().until(d -> Integer.parseInt(chart("samples")) >= 2);
      int before = Integer.parseInt(chart("lastTotal"));
      CliRun seed =
          CliRun.of(
              "--endpoint-url",
              backends.edge(),
              "seed",
              "-q",
              queue,
              "--count",
              "5",
              "--sessions",
              "1");
      assertThat(seed.exitCode()).as(seed.err()).isZero();
      waiting().until(d -> Integer.parseInt(chart("lastTotal")) >= before + 5);
      screenshot("console-queues.png");

      // peek the DLQ: both messages, still there
      browser.get(served.server.url() + "#queue/" + dlq);
      waiting().until(ExpectedConditions.elementToBeClickable(By.id("peek"))).click();
      waiting().until(d -> d.findElements(By.cssSelector("#peek-list .message")).size() == 2);
      assertThat(browser.findElement(By.id("peek-list")).getText()).contains(session);

      // a dry run says exactly what would move, and moves nothing
      browser.findElement(By.id("dry-run")).click();
      waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("dry-run-summary")));
      assertThat(browser.findElement(By.id("dry-run-summary")).getText())
          .isEqualTo("2 of 2 message(s) would move to " + queue);
      screenshot("console-dlq.png");
      assertThat(QueueDepth.of(backends.sqs(), dlq)).isEqualTo(2);

      // the redrive waits for the DLQ's name typed, then moves both: the DLQ is empty
      assertThat(browser.findElement(By.id("redrive")).isEnabled()).isFalse();
      browser.findElement(By.id("redrive-confirm")).sendKeys(dlq);
      waiting().until(ExpectedConditions.elementToBeClickable(By.id("redrive"))).click();
      waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("redrive-summary")));
      assertThat(browser.findElement(By.id("redrive-summary")).getText())
          .isEqualTo("2 message(s) moved to " + queue);
      assertThat(QueueDepth.of(backends.sqs(), dlq)).isZero();
      browser.findElement(By.id("peek")).click();
      waiting()
          .until(
              ExpectedConditions.textToBePresentInElementLocated(
                  By.id("peek-list"), "0 message(s)"));

      // look up the session once drained
      CliRun drain = served.drain();
      assertThat(drain.exitCode()).as(drain.err()).isZero();
      browser.get(served.server.url() + "#events");
      browser.findElement(By.id("events-value")).sendKeys(session);
      browser.findElement(By.id("events-find")).click();
      waiting()
          .until(
              ExpectedConditions.textToBePresentInElementLocated(
                  By.id("events-count"), "2 event(s)"));
      assertThat(browser.findElement(By.id("events-result")).getText())
          .contains("DCMAW_ASYNC_CRI_START");
      screenshot("console-events.png");

      // a phone-width screen: nothing wider than the screen
      browser.manage().window().setSize(new Dimension(390, 844));
      browser.get(served.server.url() + "#queues");
      waiting()
          .until(
              ExpectedConditions.presenceOfElementLocated(
                  By.cssSelector("#queues-table tr[data-queue='" + queue + "']")));
      Object overflow =
          ((JavascriptExecutor) browser)
              .executeScript(
                  "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
      assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);
      screenshot("console-phone.png");
    }
  }

  private static String chart(String data) {
    return (String)
        ((JavascriptExecutor) browser)
            .executeScript("return document.getElementById('depth-chart').dataset." + data + ";");
  }
}
