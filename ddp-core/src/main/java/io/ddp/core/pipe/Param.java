package io.ddp.core.pipe;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents one param of a pipe, for the catalog ({@code ddp describe}, {@code ddp pipes --json})
 * and the params JSON Schema editors use. It documents only: binding and checks stay with the params
 * record's constructor and the pipe's {@code check}.
 *
 * <pre>{@code
 * public record Params(
 *     @Param(value = "the column to shout", required = true) String column,
 *     @Param(value = "how many times", defaultValue = "1") Integer times) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Param {
  /** What the param means, in one sentence. */
  String value();

  /** Whether a declaration must give it. */
  boolean required() default false;

  /** The value used when it is absent, as JSON text ({@code "0.5"}, {@code "\"auto\""}); empty for none. */
  String defaultValue() default "";
}
