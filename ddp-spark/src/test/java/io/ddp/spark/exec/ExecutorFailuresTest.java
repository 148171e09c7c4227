package io.ddp.spark.exec;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** The explanations of classes and native libraries the executors cannot load, as Spark reports them. */
class ExecutorFailuresTest {
  private static SparkException stageFailure(String executorError) {
    return new SparkException("Job aborted due to stage failure: Task 0 in stage 3.0 failed 4 times, most recent failure:"
        + " Lost task 0.3 in stage 3.0 (TID 9) (127.0.0.1 executor 1): " + executorError + "\n\tat java.base/jdk.internal"
        + ".loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)\n\nDriver stacktrace:");
  }

  @Test
  void aClassMissingOnTheExecutorsIsNamedWithHowToShipIt() {
    String why = ExecutorFailures.explain(stageFailure("java.lang.ClassNotFoundException: com.example.Tagger$Fn")).orElseThrow();
    assertThat(why).startsWith("the executors cannot load class com.example.Tagger$Fn (ClassNotFoundException in a task)")
        .contains("--jars");
  }

  @Test
  void noClassDefFoundUsesDotsAndIsFoundInTheCauseChain() {
    RuntimeException wrapped = new RuntimeException("write failed",
        stageFailure("java.lang.NoClassDefFoundError: com/example/util/Helper"));
    assertThat(ExecutorFailures.explain(wrapped)).hasValueSatisfying(
        why -> assertThat(why).contains("class com.example.util.Helper (NoClassDefFoundError in a task)"));
  }

  @Test
  void aFunctionWhoseClassIsMissingIsExplainedAsSuch() {
    // What a standalone cluster reports for Dataset.mapPartitions with a user function class absent on the executors.
    String why = ExecutorFailures.explain(stageFailure("java.lang.ClassCastException: cannot assign instance of"
        + " java.lang.invoke.SerializedLambda to field org.apache.spark.sql.execution.MapPartitionsExec.func of type"
        + " scala.Function1 in instance of org.apache.spark.sql.execution.MapPartitionsExec")).orElseThrow();
    assertThat(why).startsWith("the executors cannot load this pipe's code").contains("spark-submit --jars");
  }

  @Test
  void aMissingNativeLibraryIsNamed() {
    String why = ExecutorFailures.explain(stageFailure(
        "java.lang.UnsatisfiedLinkError: no scorer in java.library.path: /usr/java/packages/lib:/usr/lib64")).orElseThrow();
    assertThat(why).startsWith("the executors cannot load a native library (UnsatisfiedLinkError: no scorer in java.library.path:")
        .contains("spark.executor.extraLibraryPath");
  }

  @Test
  void otherFailuresAndDriverSideClassProblemsAreLeftAlone() {
    assertThat(ExecutorFailures.explain(stageFailure("java.lang.IllegalStateException: row 17 is corrupt"))).isEmpty();
    assertThat(ExecutorFailures.explain(new ClassNotFoundException("com.example.OnTheDriver"))).isEmpty();
    assertThat(ExecutorFailures.explain(stageFailure("java.lang.NoClassDefFoundError: Could not initialize class com.example.X")))
        .as("a class whose static initialiser failed is there: not a shipping problem").isEmpty();
  }
}
