package dev.evtctl.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * DESIGN.md: cli → core, aws, local; lambda → core, aws; core imports no CLI, Lambda or emulator.
 */
@AnalyzeClasses(packages = "dev.evtctl", importOptions = ImportOption.DoNotIncludeTests.class)
class DependencyDirectionTest {

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
  static final ArchRule lambdaUsesOnlyCoreAndAws =
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
  static final ArchRule awsBuildsClientsOnly =
      noClasses()
          .that()
          .resideInAPackage("dev.evtctl.aws..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.evtctl.cli..", "dev.evtctl.lambda..", "dev.evtctl.local..", "picocli..");

  @ArchTest
  static final ArchRule localNeverImportsCli =
      noClasses()
          .that()
          .resideInAPackage("dev.evtctl.local..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.evtctl.cli..", "dev.evtctl.lambda..", "picocli..");
}
