package io.ddp.spark.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StackClassifierTest {
  private static StackTraceElement[] frames(String... classes) {
    StackTraceElement[] out = new StackTraceElement[classes.length];
    for (int i = 0; i < classes.length; i++) {
      out[i] = new StackTraceElement(classes[i], "m", null, -1);
    }
    return out;
  }

  private final StackClassifier pipes = new StackClassifier(Map.of(
      "com.example.Detect", "#3 detect",
      "com.example.Normalize", "#1 normalize",
      "com.example.Pipes$Upper", "#2 upper"));

  @Test
  void aSampleInsideAPipesCodeOrALibraryItCallsIsThePipes() {
    assertThat(pipes.classify(frames("opennlp.tools.langdetect.LanguageDetectorME", "com.example.Detect$$Lambda$41/0x0000000801234",
        "com.example.Detect", "org.apache.spark.sql.catalyst.expressions.GeneratedClass$GeneratedIteratorForCodegenStage2",
        "org.apache.spark.sql.execution.datasources.FileFormatDataWriter", "org.apache.spark.executor.Executor$TaskRunner"),
        Thread.State.RUNNABLE)).isEqualTo("#3 detect");
    // Nested classes and lambdas of a pipe class are the pipe's; a pipe nested in another class is
    // told from its enclosing class.
    assertThat(pipes.classify(frames("com.example.Detect$Iterator"), Thread.State.RUNNABLE)).isEqualTo("#3 detect");
    assertThat(pipes.classify(frames("com.example.Pipes$Upper$$Lambda/0x1"), Thread.State.RUNNABLE)).isEqualTo("#2 upper");
    assertThat(pipes.classify(frames("com.example.Pipes"), Thread.State.RUNNABLE)).isEqualTo(StackClassifier.SPARK);
    assertThat(pipes.classify(frames("com.example.DetectMore"), Thread.State.RUNNABLE)).isEqualTo(StackClassifier.SPARK);
  }

  @Test
  void theInnermostPipeWinsAsAPipeThatPullsItsInputRunsUpstreamCodeInsideItsOwn() {
    assertThat(pipes.classify(frames("com.example.Normalize", "org.apache.spark.sql.catalyst.expressions.GeneratedClass",
        "com.example.Detect$PartitionIterator"), Thread.State.RUNNABLE)).isEqualTo("#1 normalize");
    // A pipe's code is its own even when its thread is blocked (on a lock, or on I/O it does itself).
    assertThat(pipes.classify(frames("java.lang.Object", "com.example.Detect"), Thread.State.BLOCKED)).isEqualTo("#3 detect");
  }

  @Test
  void sparksOwnWorkIsToldByItsKind() {
    String writer = "org.apache.spark.sql.execution.datasources.FileFormatDataWriter";
    assertThat(pipes.classify(frames("org.apache.parquet.column.values.dictionary.DictionaryValuesWriter",
        "org.apache.parquet.hadoop.InternalParquetRecordWriter", writer), Thread.State.RUNNABLE)).isEqualTo(StackClassifier.WRITE);
    assertThat(pipes.classify(frames("com.fasterxml.jackson.core.json.ReaderBasedJsonParser",
        "org.apache.spark.sql.catalyst.json.JacksonParser", writer), Thread.State.RUNNABLE)).isEqualTo(StackClassifier.READ);
    assertThat(pipes.classify(frames("java.lang.String", "org.apache.spark.sql.catalyst.json.JacksonGenerator", writer),
        Thread.State.RUNNABLE)).isEqualTo(StackClassifier.WRITE);
    assertThat(pipes.classify(frames("com.github.luben.zstd.ZstdOutputStreamNoFinalizer",
        "org.apache.spark.shuffle.sort.UnsafeShuffleWriter"), Thread.State.RUNNABLE)).isEqualTo(StackClassifier.COMPRESS);
    assertThat(pipes.classify(frames("org.apache.spark.util.collection.unsafe.sort.UnsafeInMemorySorter",
        "org.apache.spark.sql.execution.UnsafeExternalRowSorter"), Thread.State.RUNNABLE)).isEqualTo(StackClassifier.SORT);
    assertThat(pipes.classify(frames("org.apache.spark.shuffle.sort.UnsafeShuffleWriter"), Thread.State.RUNNABLE))
        .isEqualTo(StackClassifier.SHUFFLE);
    // Generated code called from the writer is Spark's other SQL work, not the write.
    assertThat(pipes.classify(frames("org.apache.spark.sql.catalyst.expressions.GeneratedClass$SpecificUnsafeProjection", writer),
        Thread.State.RUNNABLE)).isEqualTo(StackClassifier.SPARK);
    assertThat(pipes.classify(frames("jdk.internal.misc.Unsafe", "java.util.concurrent.LinkedBlockingQueue",
        "org.apache.spark.storage.ShuffleBlockFetcherIterator"), Thread.State.WAITING)).isEqualTo(StackClassifier.WAITING);
    assertThat(pipes.classify(new StackTraceElement[0], Thread.State.RUNNABLE)).isEqualTo(StackClassifier.SPARK);
  }

  @Test
  void theClassMapTravelsAsTextWithLabelsOfAnyCharacters() {
    String text = StackClassifier.format(Map.of("a.B", "#1 b\tc", "a.C", "#2 <x> + #3 y"));
    StackClassifier back = StackClassifier.parse(text);
    assertThat(back.classify(frames("a.B"), Thread.State.RUNNABLE)).isEqualTo("#1 b c");
    assertThat(back.classify(frames("a.C$1"), Thread.State.RUNNABLE)).isEqualTo("#2 <x> + #3 y");
    assertThat(StackClassifier.parse("").classify(frames("a.B"), Thread.State.RUNNABLE)).isEqualTo(StackClassifier.SPARK);
  }
}
