package io.ddp.core.pipe;

/**
 * A unit of logic: named inputs in, one output out. This is the platform-independent contract; a
 * platform binds {@code D} (Spark: {@code Dataset<Row>}, see {@code io.ddp.spark.SparkPipe}).
 *
 * <p>A pipe is one small class with this one method. Its params type {@code P} is a record or bean
 * that DDP binds from the declaration's {@code params} with Jackson (unknown fields are errors); use
 * {@link NoParams} for a pipe that takes none, or {@code ObjectNode} to read the raw JSON.
 *
 * <pre>{@code
 * public final class Upper implements SparkPipe<Upper.Params> {
 *   public record Params(String column) {}
 *   public Dataset<Row> apply(PipeInputs<Dataset<Row>> in, Params p, SparkPipeContext ctx) {
 *     return in.only().withColumn(p.column(), upper(col(p.column())));
 *   }
 * }
 * }</pre>
 *
 * @param <D> the data type (one dataset)
 * @param <P> the params type
 * @param <C> the context type the platform provides
 */
@FunctionalInterface
public interface Pipe<D, P, C extends PipeContext> {
  /**
   * Computes the pipe's output.
   *
   * @param inputs the declared inputs, by dataId and in declared order
   * @param params the declaration's params bound to {@code P}
   * @param context the run's services: the declaration, cleanup hooks and the platform's session
   * @return the output dataset; lazily evaluated platforms should return it unevaluated
   */
  D apply(PipeInputs<D> inputs, P params, C context);

  /**
   * Checks the params before any data is read: by {@code ddp validate} and before every run, with
   * the pipeline's other problems. Override it to catch what binding cannot (a query that does not
   * parse, a model file whose inputs differ from the declared ones); the default finds nothing.
   * DDP makes the instance for this check with the class's public no-argument constructor, and only
   * when the class overrides this method.
   *
   * @param params the declaration's params bound to {@code P}
   * @return every problem found, each naming the param it is about; empty when the params are fine
   */
  default java.util.List<ParamProblem> check(P params) {
    return java.util.List.of();
  }
}
