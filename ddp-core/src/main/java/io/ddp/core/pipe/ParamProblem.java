package io.ddp.core.pipe;

import java.util.Objects;

/**
 * A problem a pipe finds in its own params before the run (see {@link Pipe#check}).
 *
 * @param param where in the params the problem is, as a JSON pointer relative to {@code params}
 *     ({@code "query"}, {@code "outputs/score"}), or {@code ""} for the params as a whole
 * @param message what is wrong and how to fix it, e.g. {@code "the SQL query does not parse: ..."}
 */
public record ParamProblem(String param, String message) {
  public ParamProblem {
    Objects.requireNonNull(param, "param");
    Objects.requireNonNull(message, "message");
    param = param.startsWith("/") ? param.substring(1) : param;
  }

  /** The problem's place under a pipe declaration: {@code /params} or {@code /params/query}. */
  public String pointer() {
    return param.isEmpty() ? "/params" : "/params/" + param;
  }
}
