package io.ddp.spark;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a pipe that DDP must not apply to empty inputs to learn the schema it produces. Before a
 * run, DDP applies every pipe that does not state its {@link SparkPipe#outputSchema} to empty
 * DataFrames of its inputs' schemas and reads the analysed result; no data is read and, for a lazy
 * pipe, no job starts. Mark a pipe whose {@code apply} has effects beyond building its output (it
 * calls a service, counts its calls, or starts a job): the schema checks then stop at it, and the
 * pipes after it are checked when the run reaches them.
 *
 * <pre>{@code
 * @NoSchemaDerivation("registers the run with the lineage service in apply")
 * public final class RegisterRun implements SparkPipe<NoParams> { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface NoSchemaDerivation {
  /** Why the pipe opts out, for whoever reads the class. */
  String value();
}
