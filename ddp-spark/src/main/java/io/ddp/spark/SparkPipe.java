package io.ddp.spark;

import io.ddp.core.pipe.Pipe;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

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
public interface SparkPipe<P> extends Pipe<Dataset<Row>, P, SparkPipeContext> {}
