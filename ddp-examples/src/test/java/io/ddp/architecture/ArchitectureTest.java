package io.ddp.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules docs/architecture.md states, checked on the compiled main classes of every module (this
 * module sees them all): no package depends on itself through others, and Spark stays in the modules
 * whose job is Spark.
 */
class ArchitectureTest {
  private static JavaClasses ddp;

  @BeforeAll
  static void importDdp() {
    ddp = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.ddp");
  }

  @Test
  void everyModuleIsOnTheClassPath() {
    for (String pkg : new String[] {"io.ddp.core", "io.ddp.io", "io.ddp.metrics", "io.ddp.ml.onnx", "io.ddp.viz", "io.ddp.spark",
        "io.ddp.tables", "io.ddp.examples", "io.ddp.testing"}) {
      org.assertj.core.api.Assertions.assertThat(ddp.containPackage(pkg)).as(pkg).isTrue();
    }
  }

  /**
   * Every package of every module, each its own slice. The one dependency left out is the process
   * entry points: {@code io.ddp.spark.DdpMain} (named by every spark-submit command) and
   * {@code io.ddp.spark.GlueMain} (a Glue job's main class) stay in the package of the pipe API while
   * they start the command line in {@code io.ddp.spark.cli}.
   */
  @Test
  void noPackageCycles() {
    slices().matching("io.ddp.(**)").should().beFreeOfCycles()
        .ignoreDependency(name("io.ddp.spark.DdpMain"), resideInAPackage("io.ddp.spark.cli"))
        .ignoreDependency(name("io.ddp.spark.GlueMain"), resideInAPackage("io.ddp.spark.cli"))
        .check(ddp);
  }

  @Test
  void sparkOnlyInTheModulesWhoseJobIsSpark() {
    noClasses().that().resideInAnyPackage("io.ddp.core..", "io.ddp.metrics..", "io.ddp.ml..", "io.ddp.viz..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "org.apache.hadoop..", "scala..")
        .because("ddp-core, ddp-metrics, ddp-ml-onnx and ddp-viz are usable (and their SPIs implementable) without Spark")
        .check(ddp);
  }

  @Test
  void theCoreKnowsNoOtherModule() {
    noClasses().that().resideInAPackage("io.ddp.core..")
        .should().dependOnClassesThat().resideInAnyPackage("io.ddp.io..", "io.ddp.metrics..", "io.ddp.ml..", "io.ddp.viz..",
            "io.ddp.spark..", "io.ddp.examples..")
        .check(ddp);
  }

  @Test
  void onlyTheExamplesAndTheSparkLayerSeeTheSparkLayer() {
    noClasses().that().resideInAnyPackage("io.ddp.io..", "io.ddp.tables..", "io.ddp.metrics..", "io.ddp.ml..", "io.ddp.viz..")
        .should().dependOnClassesThat().resideInAnyPackage("io.ddp.spark..", "io.ddp.examples..")
        .check(ddp);
  }
}
