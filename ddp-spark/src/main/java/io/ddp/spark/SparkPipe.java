package io.ddp.spark;

import io.ddp.core.pipe.Pipe;
import io.ddp.core.pipe.PipeTypes;
import java.util.List;
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
   * The columns this pipe needs from its inputs: one Spark DDL string per input, in the order of
   * {@code inputDataId} ({@code ""} for an input it needs nothing particular from). Before the run,
   * DDP checks each against the schema flowing into the pipe and reports a missing column or one of
   * another type, naming the input, what is there and the closest column. Empty (the default): the
   * pipe states nothing, and DDP learns what it needs by applying it to empty inputs.
   *
   * <pre>{@code
   * public List<String> requiredColumns(Params params) {
   *   return List.of(params.column() + " STRING");
   * }
   * }</pre>
   */
  default List<String> requiredColumns(P params) {
    return List.of();
  }

  /**
   * The schema this pipe produces from inputs of the given schemas, found without reading data or
   * starting a job; DDP uses it before the run to check the output's declared schema, its
   * {@code partitionBy} columns and the schemas of the pipes after it. Empty (the default) when the
   * pipe does not say: DDP then applies the pipe to empty DataFrames of its inputs' schemas and reads
   * the schema Spark's analyser gives the result (a lazy pipe starts no job), unless the class is
   * marked {@link NoSchemaDerivation}.
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
