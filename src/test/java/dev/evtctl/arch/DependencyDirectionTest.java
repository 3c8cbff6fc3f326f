package dev.evtctl.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * DESIGN.md: cli → core, aws, local, serve; serve → core, aws; lambda → core's pipeline and
 * processing, aws; core imports no CLI, Lambda or emulator. Inside core, the parts the Lambda runs
 * (pipeline, processing) never reach the operator tools' engines (queue, table, expect, stack), so
 * the Lambda jar can leave those out.
 */
@AnalyzeClasses(packages = "dev.evtctl", importOptions = ImportOption.DoNotIncludeTests.class)
class DependencyDirectionTest {

  private static final String[] OPERATOR_TOOLS = {
    "dev.evtctl.core.queue..",
    "dev.evtctl.core.table..",
    "dev.evtctl.core.expect..",
    "dev.evtctl.core.stack..",
    "dev.evtctl.core.logs.."
  };

  @ArchTest
  static final ArchRule coreIsPlainProcessing =
      noClasses()
          .that()
          .resideInAPackage("dev.evtctl.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.evtctl.cli..",
              "dev.evtctl.lambda..",
              "dev.evtctl.local..",
              "dev.evtctl.aws..",
              "picocli..",
              "com.amazonaws.services.lambda..",
              "org.elasticmq..",
              "org.apache.pekko..",
              "software.amazon.dynamodb..",
              "org.fusesource.jansi..");

  @ArchTest
  static final ArchRule everyCoreClassIsInAPart =
      classes()
          .that()
          .resideInAPackage("dev.evtctl.core..")
          .should()
          .resideInAnyPackage(
              "dev.evtctl.core.pipeline",
              "dev.evtctl.core.processing",
              "dev.evtctl.core.queue",
              "dev.evtctl.core.table",
              "dev.evtctl.core.expect",
              "dev.evtctl.core.stack",
              "dev.evtctl.core.logs",
              "dev.evtctl.core.trace");

  @ArchTest
  static final ArchRule pipelineStandsAlone =
      noClasses()
          .that()
          .resideInAPackage("dev.evtctl.core.pipeline..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.evtctl.core.processing..",
              "dev.evtctl.core.queue..",
              "dev.evtctl.core.table..",
              "dev.evtctl.core.expect..",
              "dev.evtctl.core.stack..");

  @ArchTest
  static final ArchRule processingUsesOnlyPipeline =
      noClasses()
          .that()
          .resideInAPackage("dev.evtctl.core.processing..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(OPERATOR_TOOLS);

  @ArchTest
  static final ArchRule lambdaUsesOnlyWhatItRuns =
      noClasses()
          .that()
          .resideInAPackage("dev.evtctl.lambda..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.evtctl.cli..",
              "dev.evtctl.local..",
              "picocli..",
              "org.elasticmq..",
              "software.amazon.dynamodb..",
              "org.apache.http..",
              "software.amazon.awssdk.http.apache..");

  @ArchTest
  static final ArchRule lambdaLeavesTheOperatorToolsOut =
      noClasses()
          .that()
          .resideInAPackage("dev.evtctl.lambda..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(OPERATOR_TOOLS);

  @ArchTest
  static final ArchRule awsBuildsClientsOnly =
      noClasses()
          .that()
          .resideInAPackage("dev.evtctl.aws..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.evtctl.cli..",
              "dev.evtctl.lambda..",
              "dev.evtctl.local..",
              "dev.evtctl.core..",
              "picocli..");

  @ArchTest
  static final ArchRule localNeverImportsCli =
      noClasses()
          .that()
          .resideInAPackage("dev.evtctl.local..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.evtctl.cli..", "dev.evtctl.lambda..", "picocli..");

  @ArchTest
  static final ArchRule serveUsesCoreAndAwsOnly =
      noClasses()
          .that()
          .resideInAPackage("dev.evtctl.serve..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.evtctl.cli..",
              "dev.evtctl.lambda..",
              "dev.evtctl.local..",
              "picocli..",
              "org.elasticmq..",
              "software.amazon.dynamodb..");

  @ArchTest
  static final ArchRule onlyServeAndTheCliReachTheHttpServer =
      noClasses()
          .that()
          .resideInAnyPackage("dev.evtctl.core..", "dev.evtctl.aws..", "dev.evtctl.lambda..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "dev.evtctl.serve..");
}
