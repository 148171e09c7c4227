package io.ddp.spark;

import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.pipe.PipeMetrics;
import io.ddp.core.pipe.Scopes;
import io.ddp.spark.scope.SparkScopes;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/** The one implementation of {@link SparkPipeContext}; see {@link SparkPipeContext#of}. */
final class StandardPipeContext implements SparkPipeContext {
  private final SparkSession spark;
  private final String pipelineName;
  private final int index;
  private final TransformerDeclare declaration;
  private final Consumer<AutoCloseable> onCleanup;
  private final PipeMetrics metrics;

  StandardPipeContext(SparkSession spark, String pipelineName, int index, TransformerDeclare declaration,
      Consumer<AutoCloseable> onCleanup, PipeMetrics metrics) {
    this.spark = spark;
    this.pipelineName = pipelineName;
    this.index = index;
    this.declaration = declaration;
    this.onCleanup = onCleanup;
    this.metrics = metrics;
  }

  @Override
  public SparkSession spark() {
    return spark;
  }

  @Override
  public String pipelineName() {
    return pipelineName;
  }

  @Override
  public int index() {
    return index;
  }

  @Override
  public TransformerDeclare declaration() {
    return declaration;
  }

  @Override
  public synchronized void onCleanup(AutoCloseable resource) {
    onCleanup.accept(Objects.requireNonNull(resource, "onCleanup(resource) called with null"));
  }

  @Override
  public PipeMetrics metrics() {
    return metrics;
  }

  @Override
  public Scopes scopes() {
    return SparkScopes.INSTANCE;
  }
}
