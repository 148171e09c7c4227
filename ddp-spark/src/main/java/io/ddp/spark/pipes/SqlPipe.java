package io.ddp.spark.pipes;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.pipe.InvalidParamsException;
import io.ddp.core.pipe.Param;
import io.ddp.core.pipe.ParamProblem;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.core.text.Messages;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The built-in {@code sql} pipe: runs {@code params.query} with every input visible under its dataId.
 *
 * <pre>{@code
 * {"inputDataId": ["Orders", "Customers"], "transformerType": "sql", "outputDataId": "OrdersByCountry",
 *  "params": {"query": "SELECT c.country, count(*) AS n FROM Orders o JOIN Customers c USING (customer_id) GROUP BY c.country"}}
 * }</pre>
 *
 * <p>Inputs are not registered as session-wide temp views under their dataIds, which concurrent pipes or
 * other pipelines in the same session would see. Each input is registered under a unique random name
 * and the query is given a common table expression per dataId that refers to it; the temp views are
 * dropped as soon as Spark has analysed the query, so no view outlives the pipe.
 */
public final class SqlPipe implements SparkPipe<SqlPipe.Params> {
  /**
   * @param query one Spark SQL query (SELECT, WITH ..., VALUES, TABLE ...); inputs are named by dataId
   */
  public record Params(
      @Param(value = "One Spark SQL query (SELECT, WITH ... SELECT, VALUES, TABLE); each input is visible by its dataId",
          required = true) String query) {
    public Params {
      if (query == null || query.isBlank()) {
        throw new IllegalArgumentException("\"query\" is required: the Spark SQL query whose result is the output");
      }
    }
  }

  /**
   * Null when {@code query} parses as a query, else why not. Only queries are allowed: Spark runs a
   * statement such as {@code INSERT}, {@code CREATE TABLE ... AS} or {@code DROP} when it analyses
   * it, and DDP analyses each query before the run (on empty inputs) as well as in it.
   */
  public static String notAQuery(String query) {
    org.apache.spark.sql.catalyst.plans.logical.LogicalPlan plan;
    try {
      plan = org.apache.spark.sql.catalyst.parser.CatalystSqlParser$.MODULE$.parsePlan(query);
    } catch (Exception e) { // ParseException
      return "the SQL query does not parse: " + Messages.firstLine(e.getMessage());
    }
    if (!isStatement(plan)) {
      try {
        org.apache.spark.sql.catalyst.parser.CatalystSqlParser$.MODULE$.parseQuery(query);
        return null;
      } catch (Exception notAQuery) {
        // parsed as a statement, not as a query: fall through
      }
    }
    return "the SQL is a " + plan.nodeName() + " statement, not a query: a sql pipe only reads (SELECT, WITH ... SELECT,"
        + " VALUES, TABLE); INSERT, CREATE, DROP, CACHE and other statements that change data or tables are not allowed,"
        + " since Spark would run them while DDP checks the pipeline";
  }

  private static boolean isStatement(org.apache.spark.sql.catalyst.plans.logical.LogicalPlan node) {
    if (node instanceof org.apache.spark.sql.catalyst.plans.logical.Command
        || node instanceof org.apache.spark.sql.catalyst.plans.logical.ParsedStatement) {
      return true;
    }
    for (org.apache.spark.sql.catalyst.plans.logical.LogicalPlan child : scala.jdk.javaapi.CollectionConverters.asJava(node.children())) {
      if (isStatement(child)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public List<ParamProblem> check(Params params) {
    String problem = notAQuery(params.query());
    return problem == null ? List.of() : List.of(new ParamProblem("query", problem));
  }

  @Override
  public Optional<StructType> outputSchema(Map<String, StructType> inputs, Params params, SparkSession spark) {
    try {
      return Optional.of(analyse(spark, inputs, params.query()));
    } catch (DdpException e) {
      throw new InvalidParamsException(new ParamProblem("query", "the query does not fit the schemas of its inputs: "
          + e.getMessage().replaceFirst("^query failed: ", "")), e);
    }
  }

  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, Params params, SparkPipeContext ctx) {
    String problem = notAQuery(params.query());
    if (problem != null) {
      throw new DdpException(problem);
    }
    String prefix = "ddp_" + UUID.randomUUID().toString().replace("-", "") + "_";
    List<String> views = new ArrayList<>();
    StringBuilder ctes = new StringBuilder();
    try {
      for (String id : inputs.ids()) {
        String view = prefix + id;
        inputs.get(id).createOrReplaceTempView(view);
        views.add(view);
        ctes.append(ctes.length() == 0 ? "" : ", ").append('`').append(id).append("` AS (SELECT * FROM `").append(view).append("`)");
      }
      String sql = withInputs(params.query(), ctes.toString());
      try {
        // spark.sql analyses eagerly, so the result no longer needs the views once it returns.
        return ctx.spark().sql(sql);
      } catch (Exception e) { // AnalysisException
        String reason = Messages.firstLine(e.getMessage()).replaceAll("(?i)" + java.util.regex.Pattern.quote(prefix), "");
        if (sql.startsWith("WITH " + ctes + "\n")) {
          reason = shiftLineNumbers(reason);
        }
        throw new DdpException("query failed: " + reason
            + "; the inputs are visible as " + inputs.ids(), e);
      }
    } finally {
      views.forEach(v -> dropView(ctx.spark(), v));
    }
  }

  /**
   * Drops a view without uncaching its query. {@code Catalog.dropTempView} also uncaches the view's
   * plan, which is the input's plan: it would throw away the cache of a dataset that other pipes
   * still read (DDP persists shared inputs). The session catalog's own drop only forgets the name.
   */
  private static void dropView(SparkSession spark, String view) {
    if (spark instanceof org.apache.spark.sql.classic.SparkSession) {
      ((org.apache.spark.sql.classic.SparkSession) spark).sessionState().catalog().dropTempView(view);
    } else {
      spark.catalog().dropTempView(view);
    }
  }

  /**
   * The schema the query produces over inputs of the given schemas, found by Spark's analyser on
   * empty inputs: no data is read and no job runs.
   *
   * @throws DdpException with Spark's reason when the query does not analyse
   */
  public static StructType analyse(SparkSession spark, Map<String, StructType> inputs, String query) {
    Map<String, Dataset<Row>> empty = new java.util.LinkedHashMap<>();
    inputs.forEach((id, schema) -> empty.put(id, spark.createDataFrame(List.<Row>of(), schema)));
    SparkPipeContext ctx = SparkPipeContext.of(spark, "analysis", 0,
        new io.ddp.core.model.TransformerDeclare(List.copyOf(inputs.keySet()), "sql", "analysis"), resource -> {},
        io.ddp.core.pipe.PipeMetrics.NONE);
    return new SqlPipe().apply(PipeInputs.of("analysis", empty), new Params(query), ctx).schema();
  }

  /** Puts the inputs' CTEs in front of the query, merging with the query's own WITH clause. */
  static String withInputs(String query, String ctes) {
    int start = skipSpaceAndComments(query, 0);
    String head = query.substring(start);
    String lower = head.toLowerCase(Locale.ROOT);
    if (lower.startsWith("with") && head.length() > 4 && !Character.isLetterOrDigit(head.charAt(4)) && head.charAt(4) != '_') {
      int after = skipSpaceAndComments(head, 4);
      String rest = head.substring(after);
      if (rest.toLowerCase(Locale.ROOT).startsWith("recursive") && rest.length() > 9 && !Character.isLetterOrDigit(rest.charAt(9))) {
        return "WITH RECURSIVE " + ctes + ", " + rest.substring(9).stripLeading();
      }
      return "WITH " + ctes + ", " + rest;
    }
    return "WITH " + ctes + "\n" + head;
  }

  /** Spark counts lines of the rewritten query, whose first line holds the inputs' CTEs. */
  private static String shiftLineNumbers(String message) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("line (\\d+) pos").matcher(message);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, "line " + Math.max(1, Integer.parseInt(m.group(1)) - 1) + " pos");
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static int skipSpaceAndComments(String s, int i) {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (s.startsWith("--", i)) {
        int nl = s.indexOf('\n', i);
        i = nl < 0 ? s.length() : nl + 1;
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        i = end < 0 ? s.length() : end + 2;
      } else {
        break;
      }
    }
    return i;
  }

}
