package io.ddp.spark;

import io.ddp.core.pipe.Pipe;
import io.ddp.core.pipe.PipeTypes;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * A pipe on Spark: named {@code Dataset<Row>} inputs in, one {@code Dataset<Row>} out.
 *
 * <pre>{@code
 * public final class CleanText implements SparkPipe<CleanText.Params> {
 *   public record Params(String column) {}
 *
 *   public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, Params params, SparkPipeContext ctx) {
 *     return inputs.only().withColumn(params.column(), lower(trim(col(params.column()))));
 *   }
 * }
 * }</pre>
 *
 * Return the output lazily (no {@code collect()} or {@code count()}): DDP chains pipes in memory and
 * Spark computes everything when sinks are written.
 *
 * @param <P> the params type, bound from the declaration's {@code params}
 */
@FunctionalInterface
public interface SparkPipe<P> extends Pipe<Dataset<Row>, P, SparkPipeContext> {
  /** The pipe types the loader's {@link io.ddp.core.pipe.PipeProvider}s register, resolving to Spark pipes. */
  static PipeTypes types(ClassLoader loader) {
    return PipeTypes.load(loader, SparkPipe.class);
  }

  /**
   * The schema this pipe produces from inputs of the given schemas, found without reading data or
   * starting a job; DDP uses it before the run to check the output's declared schema, its
   * {@code partitionBy} columns and the schemas of the pipes after it. Empty (the default) when the
   * pipe does not say. DDP makes the instance for this check with the class's public no-argument
   * constructor, and only when the class overrides this method.
   *
   * @param inputs the schema of each input, by dataId in declared order
   * @param params the declaration's params bound to {@code P}
   * @param spark a session to analyse plans with (for example on empty DataFrames)
   * @throws io.ddp.core.pipe.InvalidParamsException when a param does not fit the inputs (say, a
   *     query naming a column none has), naming the param
   */
  default Optional<StructType> outputSchema(Map<String, StructType> inputs, P params, SparkSession spark) {
    return Optional.empty();
  }
}
