package io.ddp.spark.cli;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.Selection;
import io.ddp.core.text.Messages;
import io.ddp.core.text.Secrets;
import io.ddp.core.text.Suggestions;
import io.ddp.io.DeclaredIO;
import io.ddp.io.InputCheck;
import io.ddp.io.ReadContext;
import io.ddp.spark.exec.RunOptions;
import io.ddp.spark.exec.RunResult;
import io.ddp.spark.exec.SparkExecutor;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ddp show PIPELINE.json DATASET}: what {@code df.show()} is to a Spark user. Computes the
 * dataset from what it needs (its sources read as declared, only its ancestor pipes run), writes
 * nothing (no sink, no quarantine, no run state or report), and prints its schema and first rows.
 */
@Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Computes one dataset (a source, an intermediate or a sink) from what it needs, writing nothing,",
        "and prints its schema and first rows."})
final class ShowCommand implements Callable<Integer> {
  @Mixin
  PipelineOptions pipeline;

  @Parameters(index = "1", paramLabel = "DATASET", description = "The dataId to show.")
  String dataset;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many rows to print (default 20).")
  int limit;

  @Option(names = "--truncate", paramLabel = "CHARS", defaultValue = "40",
      description = "Cut longer values to this many characters (default 40; 0: never).")
  int truncate;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Spark configuration; overrides the pipeline's \"spark\" block.")
  Map<String, String> conf = new LinkedHashMap<>();

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: the pipeline's, else local[*]).")
  String master;

  @Option(names = {"-v", "--verbose"}, description = "Also show the run's progress and Spark's own log.")
  boolean verbose;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (limit < 0) {
      err.println("ddp show: --limit must be 0 or more, not " + limit);
      return DdpCommand.EXIT_INVALID;
    }
    EarlyStart[] early = {null};
    io.ddp.core.PipelineLoader.Loaded loaded = PipelineFile.load(pipeline.source(), pipeline.vars, conf, err, read -> {
      if (read != null) {
        early[0] = EarlyStart.begin(read, conf, Optional.ofNullable(master));
      }
    });
    EarlyStart start = early[0] != null ? early[0] : EarlyStart.begin(null, conf, Optional.ofNullable(master));
    try {
      return loaded.hasErrors() ? DdpCommand.EXIT_INVALID : show(loaded, start, out, err);
    } finally {
      if (!sessionUsed) {
        start.abandon();
      }
    }
  }

  /** Whether the command got as far as taking its Spark session (else an early one is abandoned). */
  private boolean sessionUsed;

  private int show(io.ddp.core.PipelineLoader.Loaded loaded, EarlyStart early, PrintWriter out, PrintWriter err) {
    ExecutionPlan plan = loaded.plan();
    if (!plan.data().containsKey(dataset)) {
      err.println("ddp show: the pipeline declares no dataset '" + dataset + "'" + Suggestions.didYouMean(dataset, plan.data().keySet())
          + "; its datasets are " + String.join(", ", plan.data().keySet()));
      return DdpCommand.EXIT_INVALID;
    }
    ExecutionPlan.Role role = plan.role(dataset);
    Selection selection = role == ExecutionPlan.Role.SOURCE ? null
        : Selection.partial(plan, Optional.empty(), Optional.of(dataset), Optional.empty());
    Map<String, String> sparkConf = new LinkedHashMap<>(plan.pipeline().spark());
    sparkConf.putAll(conf);
    List<String> missing = selection == null ? sourceMissing(plan.data(dataset), sparkConf)
        : InputCheck.problems(selection, Set.of(), PipelineSource.hadoopConf(sparkConf));
    if (!missing.isEmpty()) {
      missing.forEach(m -> err.println("ddp show: " + m));
      return DdpCommand.EXIT_FAILED;
    }
    sessionUsed = true;
    try (RunSession session = RunSession.open(plan, early)) {
      Dataset<Row> rows;
      AtomicLong malformed = new AtomicLong();
      if (selection == null) {
        DeclaredIO io = DeclaredIO.load(Thread.currentThread().getContextClassLoader());
        io.prepare(session.spark(), plan.pipeline().data());
        rows = io.read(session.spark(), plan.data(dataset), new ReadContext() {
          @Override
          public void writeQuarantine(DataDeclare target, java.util.function.Consumer<DataDeclare> write) {
            // ddp show writes nothing: malformed rows are counted, not put anywhere.
          }

          @Override
          public void quarantined(String dataId, long good, long bad, String location) {
            malformed.addAndGet(bad);
          }
        });
      } else {
        SparkExecutor executor = SparkExecutor.builder(session.spark()).build();
        RunResult result = executor.run(plan, RunOptions.builder().selection(selection).writesNothing(true).build());
        rows = result.captured().get(dataset);
        result.quarantines().forEach(q -> malformed.addAndGet(q.bad()));
      }
      print(rows, out);
      if (malformed.get() > 0) {
        out.println("(" + malformed.get() + " malformed source rows are not shown; ddp run quarantines them)");
      }
      out.flush();
      return DdpCommand.EXIT_OK;
    } catch (DdpException e) {
      err.println("ddp show: " + Secrets.mask(e.getMessage()));
      return DdpCommand.EXIT_FAILED;
    } catch (RuntimeException e) {
      err.println("ddp show: cannot compute '" + dataset + "': " + Secrets.mask(Messages.rootCause(e)));
      return DdpCommand.EXIT_FAILED;
    }
  }

  /** For a source shown on its own: its location must be there (as a run checks before it starts). */
  private static List<String> sourceMissing(DataDeclare d, Map<String, String> sparkConf) {
    DeclaredIO io = DeclaredIO.load(Thread.currentThread().getContextClassLoader());
    if (!d.hasLocation() || !io.format(d).locationIsPath(d) || "jdbc".equalsIgnoreCase(d.format())) {
      return List.of();
    }
    try {
      org.apache.hadoop.conf.Configuration conf = PipelineSource.hadoopConf(sparkConf);
      io.configure(conf, d);
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(d.location());
      org.apache.hadoop.fs.FileSystem fs = path.getFileSystem(conf);
      boolean glob = d.location().matches(".*[*?\\[{].*");
      org.apache.hadoop.fs.FileStatus[] matches = glob ? fs.globStatus(path) : null;
      boolean there = glob ? matches != null && matches.length > 0 : fs.exists(path);
      return there ? List.of() : List.of("source dataset '" + d.dataId() + "' at " + Secrets.mask(d.location(), d.options())
          + " does not exist; check its \"location\"");
    } catch (java.io.IOException | RuntimeException e) {
      return List.of("source dataset '" + d.dataId() + "' at " + Secrets.mask(d.location(), d.options()) + " cannot be checked ("
          + Secrets.mask(e.getMessage()) + ")");
    }
  }

  /** The schema as a tree, then the first rows as a table. */
  private void print(Dataset<Row> rows, PrintWriter out) {
    out.println(dataset + ":");
    out.print(rows.schema().treeString());
    List<Row> first = limit == 0 ? List.of() : rows.limit(limit + 1).collectAsList();
    boolean more = first.size() > limit;
    if (more) {
      first = first.subList(0, limit);
    }
    String[] names = rows.columns();
    List<String[]> cells = new ArrayList<>();
    int[] width = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      width[i] = names[i].length();
    }
    for (Row r : first) {
      String[] line = new String[names.length];
      for (int i = 0; i < names.length; i++) {
        line[i] = cell(r.isNullAt(i) ? "NULL" : value(r.get(i)));
        width[i] = Math.max(width[i], line[i].length());
      }
      cells.add(line);
    }
    StringBuilder rule = new StringBuilder("+");
    for (int w : width) {
      rule.append("-".repeat(w + 2)).append('+');
    }
    out.println(rule);
    out.println(line(names, width));
    out.println(rule);
    cells.forEach(c -> out.println(line(c, width)));
    out.println(rule);
    out.println(first.size() + (first.size() == 1 ? " row" : " rows") + (more ? " shown (more exist; --limit N to show more)" : ""));
  }

  private static String value(Object v) {
    if (v instanceof scala.collection.Iterable<?> it) {
      return scala.jdk.javaapi.CollectionConverters.asJava(it).toString();
    }
    if (v instanceof byte[] bytes) {
      return "<" + bytes.length + " bytes>";
    }
    return String.valueOf(v);
  }

  private String cell(String text) {
    String flat = text.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    return truncate > 3 && flat.length() > truncate ? flat.substring(0, truncate - 3) + "..." : flat;
  }

  private static String line(String[] values, int[] width) {
    StringBuilder b = new StringBuilder("|");
    for (int i = 0; i < values.length; i++) {
      b.append(' ').append(values[i]).append(" ".repeat(width[i] - values[i].length())).append(" |");
    }
    return b.toString();
  }
}
