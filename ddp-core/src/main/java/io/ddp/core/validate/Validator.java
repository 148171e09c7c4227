package io.ddp.core.validate;

import static io.ddp.core.validate.Subjects.dataPointer;
import static io.ddp.core.validate.Subjects.dataset;
import static io.ddp.core.validate.Subjects.metric;
import static io.ddp.core.validate.Subjects.metricPointer;
import static io.ddp.core.validate.Subjects.pipe;
import static io.ddp.core.validate.Subjects.pipePointer;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.graph.DataGraph;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.ExpectationDeclare;
import io.ddp.core.model.MetricDeclare;
import io.ddp.core.model.PipelineDeclare;
import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.pipe.InvalidParamsException;
import io.ddp.core.pipe.ParamProblem;
import io.ddp.core.pipe.Pipe;
import io.ddp.core.pipe.PipeParams;
import io.ddp.core.pipe.PipeTypes;
import io.ddp.core.text.Suggestions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a whole pipeline declaration and reports every problem at once: ids, references, producers,
 * cycles, pipe types and their params, metrics, plus any {@link PipelineCheck} on the class path.
 *
 * <pre>{@code
 * List<Problem> problems = new Validator(pipeTypes).validate(pipeline);
 * }</pre>
 */
public final class Validator {
  /** Ids of datasets and metrics: letters, digits and {@code _}, starting with a letter. */
  public static final Pattern ID = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  private final PipeTypes pipeTypes;
  private final List<PipelineCheck> checks;

  /**
   * Validates pipe types, their params and the pipes' own {@link Pipe#check} against {@code pipeTypes}
   * (null: skip all three), then runs {@code checks} in order.
   */
  public Validator(PipeTypes pipeTypes, List<PipelineCheck> checks) {
    this.pipeTypes = pipeTypes;
    this.checks = List.copyOf(checks);
  }

  /** A validator with every {@link PipelineCheck} the loader's providers offer. */
  public static Validator withChecksFrom(PipeTypes pipeTypes, ClassLoader loader) {
    List<PipelineCheck> checks = new ArrayList<>();
    ServiceLoader.load(PipelineCheck.class, loader).forEach(checks::add);
    return new Validator(pipeTypes, checks);
  }

  /** Structure only: ids, references, producers and cycles; no pipe types, no extra checks. */
  public static List<Problem> structure(PipelineDeclare pipeline) {
    Problems problems = new Problems();
    structure(pipeline, DataGraph.of(pipeline), problems);
    return problems.asList();
  }

  /** Every problem, errors and warnings, in the order: structure, pipe types, metrics, extra checks. */
  public List<Problem> validate(PipelineDeclare pipeline) {
    Problems problems = new Problems();
    DataGraph graph = DataGraph.of(pipeline);
    structure(pipeline, graph, problems);
    if (pipeTypes != null) {
      pipeTypes(pipeline, problems);
    }
    for (PipelineCheck check : checks) {
      check.check(pipeline, problems);
    }
    return problems.asList();
  }

  private static void structure(PipelineDeclare pipeline, DataGraph graph, Problems problems) {
    Map<String, Integer> declared = datasets(pipeline, problems);
    transformers(pipeline, graph, declared, problems);
    quarantines(pipeline, graph, declared, problems);
    sinksOverSources(pipeline, graph, problems);
    producersAndReaders(pipeline, graph, problems);
    cycles(pipeline, graph, problems);
    metrics(pipeline, declared, problems);
    ExpectationChecks.check(pipeline, graph, problems);
  }

  private static Map<String, Integer> datasets(PipelineDeclare pipeline, Problems problems) {
    Map<String, Integer> first = new HashMap<>();
    List<DataDeclare> data = pipeline.data();
    for (int i = 0; i < data.size(); i++) {
      DataDeclare d = data.get(i);
      String id = d.dataId();
      if (!ID.matcher(id).matches()) {
        problems.error(dataPointer(i) + "/dataId", dataset(id), "invalid dataId: use letters, digits and '_', starting with a letter"
            + (id.isEmpty() ? "" : ", e.g. '" + sanitize(id) + "'"));
      }
      Integer before = first.putIfAbsent(id, i);
      if (before != null) {
        problems.error(dataPointer(i) + "/dataId", dataset(id), "dataId is declared twice (data[" + before + "] and data[" + i
            + "]); rename one or remove the duplicate");
      }
      if (d.hasLocation() && d.format() == null) {
        problems.error(dataPointer(i) + "/location", dataset(id), "cannot tell the format of \"" + d.location()
            + "\" from its name; declare \"format\" (parquet, csv, json, orc, text, ...)");
      }
      if (!d.partitionBy().isEmpty() && !d.hasLocation()) {
        problems.warning(dataPointer(i) + "/partitionBy", dataset(id), "\"partitionBy\" has no effect on in-memory data; add a location or remove it");
      }
      if (d.mode() == io.ddp.core.model.WriteMode.MERGE && d.merge() == null) {
        problems.error(dataPointer(i) + "/mode", dataset(id), "mode \"merge\" needs the key columns to merge by; declare"
            + " \"merge\": {\"keys\": [\"id\"]}");
      }
      if (d.merge() != null && d.mode() != io.ddp.core.model.WriteMode.MERGE) {
        problems.error(dataPointer(i) + "/merge", dataset(id), "\"merge\" only applies with \"mode\": \"merge\" (the mode is "
            + d.mode().jsonName() + "); set the mode or remove \"merge\"");
      }
      if (d.merge() != null && new HashSet<>(d.merge().keys()).size() < d.merge().keys().size()) {
        problems.error(dataPointer(i) + "/merge/keys", dataset(id), "a key column is listed twice in " + d.merge().keys());
      }
      Set<String> seen = new HashSet<>();
      for (String column : d.partitionBy()) {
        if (!seen.add(column)) {
          problems.error(dataPointer(i) + "/partitionBy", dataset(id), "partition column '" + column + "' is listed twice");
        }
      }
    }
    return first;
  }

  /**
   * A sink whose location is a source's location, or a directory around or inside it, would replace
   * or change data that the same run is still reading (Spark reads lazily, often while it writes).
   */
  private static void sinksOverSources(PipelineDeclare pipeline, DataGraph graph, Problems problems) {
    List<DataDeclare> data = pipeline.data();
    for (int i = 0; i < data.size(); i++) {
      DataDeclare sink = data.get(i);
      if (!sink.hasLocation() || graph.producer(sink.dataId()) == null || !fileLike(sink)) {
        continue;
      }
      String written = comparable(sink.location());
      for (DataDeclare source : data) {
        if (!source.hasLocation() || graph.producer(source.dataId()) != null || graph.readers(source.dataId()).isEmpty()
            || !fileLike(source)) {
          continue;
        }
        String read = comparable(source.location());
        String how = written.equals(read) ? "the location " : read.startsWith(written + "/") ? "a directory around the location "
            : written.startsWith(read + "/") ? "a directory inside the location " : null;
        if (how != null && written.equals(read) && SNAPSHOT_FORMATS.contains(String.valueOf(sink.format()))
            && String.valueOf(sink.format()).equals(source.format())) {
          // A table format reads the version current when the run starts and commits a new one:
          // reading a table and writing (appending, merging) it back in one run is safe.
          continue;
        }
        if (how != null) {
          problems.error(dataPointer(i) + "/location", dataset(sink.dataId()), "is written to " + how + "of source '"
              + source.dataId() + "' (" + source.location() + "), which the same run reads; write it somewhere else, or read a copy");
        }
      }
    }
  }

  /** Table formats whose reads see one committed version, so that a run may write the table it reads. */
  private static final Set<String> SNAPSHOT_FORMATS = Set.of("delta", "iceberg");

  /** Whether the location names files or directories (a JDBC URL names a database, whose tables differ). */
  private static boolean fileLike(DataDeclare d) {
    return !d.location().startsWith("jdbc:") && !"jdbc".equals(d.format()) && !"memory".equals(d.format());
  }

  /** A location as text that compares equal for the same place: no trailing '/', no "file:", local paths absolute. */
  static String comparable(String location) {
    String s = location.trim();
    if (s.startsWith("file://")) {
      s = s.substring("file://".length());
    } else if (s.startsWith("file:")) {
      s = s.substring("file:".length());
    }
    if (!s.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      try {
        s = java.nio.file.Path.of(s).toAbsolutePath().normalize().toString();
      } catch (java.nio.file.InvalidPathException e) {
        // not a local path after all: compare the text
      }
    }
    while (s.length() > 1 && s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  private static void quarantines(PipelineDeclare pipeline, DataGraph graph, Map<String, Integer> declared, Problems problems) {
    List<DataDeclare> data = pipeline.data();
    for (int i = 0; i < data.size(); i++) {
      DataDeclare d = data.get(i);
      if (d.quarantine() == null) {
        continue;
      }
      String pointer = dataPointer(i) + "/quarantine";
      Integer target = declared.get(d.quarantine());
      if (target == null) {
        problems.error(pointer, dataset(d.dataId()), "quarantine dataset '" + d.quarantine() + "' is not declared"
            + Suggestions.didYouMean(d.quarantine(), declared.keySet()) + "; declare it with a location and a format, or leave"
            + " \"quarantine\" out to use " + (d.hasLocation() ? d.location() + "_quarantine" : "the location beside the dataset's"));
        continue;
      }
      DataDeclare q = data.get(target);
      if (!q.hasLocation()) {
        problems.error(pointer, dataset(d.dataId()), "quarantine dataset '" + q.dataId() + "' has no location; give it one");
      }
      if (graph.producer(q.dataId()) != null || !graph.readers(q.dataId()).isEmpty()) {
        problems.error(pointer, dataset(d.dataId()), "quarantine dataset '" + q.dataId() + "' is written by DDP while it reads '"
            + d.dataId() + "', so no pipe may produce or read it in the same pipeline; use another dataset");
      }
      boolean quarantinesRows = d.expectations().stream().anyMatch(e -> e.onViolation() == ExpectationDeclare.Action.QUARANTINE);
      if (graph.producer(d.dataId()) != null && !quarantinesRows) {
        problems.warning(pointer, dataset(d.dataId()), "\"quarantine\" receives the bad records of csv or json sources and the"
            + " rows of \"quarantine\" expectations, and '" + d.dataId() + "' has neither");
      }
    }
  }

  private static void transformers(PipelineDeclare pipeline, DataGraph graph, Map<String, Integer> declared, Problems problems) {
    List<TransformerDeclare> pipes = pipeline.transformers();
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < pipes.size(); i++) {
      TransformerDeclare t = pipes.get(i);
      String subject = pipe(pipeline, i + 1);
      String pointer = pipePointer(i + 1);
      if (t.name() != null) {
        Integer before = names.putIfAbsent(t.name(), i);
        if (before != null) {
          problems.error(pointer + "/name", subject, "name '" + t.name() + "' is already used by pipe #" + (before + 1)
              + "; pipe names must be unique");
        }
      }
      if (t.inputDataId().isEmpty()) {
        problems.error(pointer + "/inputDataId", subject, "\"inputDataId\" is empty; a pipe reads at least one dataset, e.g. [\"InputData\"]");
      }
      Set<String> seen = new HashSet<>();
      for (int k = 0; k < t.inputDataId().size(); k++) {
        String in = t.inputDataId().get(k);
        String inPointer = pointer + "/inputDataId/" + k;
        if (!seen.add(in)) {
          problems.error(inPointer, subject, "input '" + in + "' is listed twice in \"inputDataId\"; list each dataset once");
        }
        if (!declared.containsKey(in)) {
          problems.error(inPointer, subject, "input '" + in + "' is not declared" + Suggestions.didYouMean(in, declared.keySet())
              + "; declare it under \"data\" or correct the id");
        }
        if (in.equals(t.outputDataId())) {
          problems.error(inPointer, subject, "reads its own output '" + in + "'; a pipe must produce a new dataset (declare one and use it as \"outputDataId\")");
        }
      }
      if (!declared.containsKey(t.outputDataId())) {
        problems.error(pointer + "/outputDataId", subject, "output '" + t.outputDataId() + "' is not declared"
            + Suggestions.didYouMean(t.outputDataId(), declared.keySet()) + "; declare it under \"data\" or correct the id");
      }
      List<Integer> producers = graph.producers(t.outputDataId());
      if (producers.size() > 1 && producers.get(0) != i + 1) {
        problems.error(pointer + "/outputDataId", subject, "output '" + t.outputDataId() + "' is already produced by pipe "
            + pipeline.transformer(producers.get(0)).label(producers.get(0)) + "; each dataset has one producer, so give this pipe its own output");
      }
    }
  }

  private static void producersAndReaders(PipelineDeclare pipeline, DataGraph graph, Problems problems) {
    Set<String> metricData = new HashSet<>();
    pipeline.metrics().forEach(m -> metricData.add(m.dataId()));
    // Quarantine datasets are written by DDP while it reads a source: neither produced nor read by pipes.
    pipeline.data().forEach(d -> {
      if (d.quarantine() != null) {
        metricData.add(d.quarantine());
      }
    });
    List<DataDeclare> data = pipeline.data();
    Set<String> reported = new HashSet<>();
    for (int i = 0; i < data.size(); i++) {
      DataDeclare d = data.get(i);
      if (!reported.add(d.dataId())) {
        continue;
      }
      boolean produced = graph.producer(d.dataId()) != null;
      List<Integer> readers = graph.readers(d.dataId());
      if (!produced && !d.hasLocation()) {
        if (!readers.isEmpty()) {
          problems.error(dataPointer(i), dataset(d.dataId()), "is read by " + describePipes(pipeline, readers)
              + " but nothing produces it and it has no location; add a \"location\" to read it from, or a pipe with \"outputDataId\": \""
              + d.dataId() + "\"");
        } else {
          problems.error(dataPointer(i), dataset(d.dataId()), "nothing produces it and it has no location, so it can never hold data;"
              + " add a \"location\" to read it from, a pipe with \"outputDataId\": \"" + d.dataId() + "\", or remove it");
        }
      } else if (produced && !d.hasLocation() && readers.isEmpty() && !metricData.contains(d.dataId())) {
        problems.warning(dataPointer(i), dataset(d.dataId()), "is produced by pipe "
            + pipeline.transformer(graph.producer(d.dataId())).label(graph.producer(d.dataId()))
            + " but nothing reads it and it has no location, so the result is discarded; add a \"location\" to write it");
      }
      if (!produced && d.hasLocation() && d.mode() == io.ddp.core.model.WriteMode.MERGE) {
        problems.warning(dataPointer(i) + "/mode", dataset(d.dataId()), "mode \"merge\" only applies when a dataset is written,"
            + " and this one is a source (nothing produces it); remove the mode and \"merge\"");
      }
      if (!produced && d.hasLocation() && !d.partitionBy().isEmpty()) {
        problems.warning(dataPointer(i) + "/partitionBy", dataset(d.dataId()), "\"partitionBy\" only applies when a dataset is written,"
            + " and this one is a source; Spark discovers the partitions of what it reads, so remove it");
      }
      if (!produced && d.hasLocation() && readers.isEmpty() && !metricData.contains(d.dataId())) {
        problems.warning(dataPointer(i), dataset(d.dataId()), "is a source that nothing reads; remove it or read it in a pipe");
      }
    }
  }

  private static void cycles(PipelineDeclare pipeline, DataGraph graph, Problems problems) {
    for (List<Integer> cycle : graph.cycles()) {
      int first = cycle.get(0);
      int last = cycle.get(cycle.size() - 1);
      StringBuilder path = new StringBuilder(pipeline.transformer(last).outputDataId());
      for (int p : cycle) {
        path.append(" -> #").append(p).append(' ').append(pipeline.transformer(p).transformerType())
            .append(" -> ").append(pipeline.transformer(p).outputDataId());
      }
      problems.error(pipePointer(first), "pipeline", "circular dependency among " + cycle.size() + " pipes: " + path
          + "; a pipe cannot depend on its own output, so break the cycle by changing one of these inputs");
    }
  }

  private static void metrics(PipelineDeclare pipeline, Map<String, Integer> declared, Problems problems) {
    List<MetricDeclare> metrics = pipeline.metrics();
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < metrics.size(); i++) {
      MetricDeclare m = metrics.get(i);
      String pointer = metricPointer(i);
      if (!ID.matcher(m.metricId()).matches()) {
        problems.error(pointer + "/metricId", metric(m.metricId()), "invalid metricId: use letters, digits and '_', starting with a letter");
      }
      Integer before = ids.putIfAbsent(m.metricId(), i);
      if (before != null) {
        problems.error(pointer + "/metricId", metric(m.metricId()), "metricId is declared twice (metrics[" + before + "] and metrics["
            + i + "]); rename one");
      }
      if (!declared.containsKey(m.dataId())) {
        problems.error(pointer + "/dataId", metric(m.metricId()), "dataset '" + m.dataId() + "' is not declared"
            + Suggestions.didYouMean(m.dataId(), declared.keySet()) + "; name a declared dataId");
      }
      if (m.expression().isBlank()) {
        problems.error(pointer + "/expression", metric(m.metricId()), "expression is empty; give a Spark SQL aggregate, e.g. count(1)");
      }
    }
  }

  private void pipeTypes(PipelineDeclare pipeline, Problems problems) {
    List<TransformerDeclare> pipes = pipeline.transformers();
    for (int i = 0; i < pipes.size(); i++) {
      TransformerDeclare t = pipes.get(i);
      Class<?> cls;
      try {
        cls = pipeTypes.resolve(t.transformerType());
      } catch (DdpException e) {
        problems.error(pipePointer(i + 1) + "/transformerType", pipe(pipeline, i + 1), e.getMessage());
        continue;
      }
      Object params;
      try {
        params = PipeParams.bind(t.paramsView(), PipeParams.paramsType(cls));
      } catch (PipeParams.BindingException e) {
        problems.error(pipePointer(i + 1) + "/params" + e.field(), pipe(pipeline, i + 1), e.getMessage());
        continue;
      }
      Optional<Object> pipe = PipeTypes.instanceOverriding(cls, "check");
      if (pipe.isPresent() && pipe.get() instanceof Pipe<?, ?, ?> checked) {
        for (ParamProblem p : ownCheck(checked, params)) {
          problems.error(pipePointer(i + 1) + p.pointer(), pipe(pipeline, i + 1), p.message());
        }
      }
    }
  }

  /** The pipe's own {@link Pipe#check}; a check that throws is reported as a problem, not passed on. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<ParamProblem> ownCheck(Pipe pipe, Object params) {
    try {
      return List.copyOf((List<ParamProblem>) pipe.check(params));
    } catch (InvalidParamsException e) {
      return List.of(e.problem());
    } catch (RuntimeException e) {
      return List.of(new ParamProblem("", "the pipe's own check of its params failed: " + e));
    }
  }

  private static String describePipes(PipelineDeclare pipeline, List<Integer> numbers) {
    List<String> labels = new ArrayList<>();
    for (int p : numbers) {
      if (labels.size() == 3) {
        labels.add("and " + (numbers.size() - 3) + " more");
        break;
      }
      labels.add("pipe " + pipeline.transformer(p).label(p));
    }
    return String.join(", ", labels);
  }

  private static String sanitize(String id) {
    String s = id.replaceAll("[^A-Za-z0-9_]", "_");
    return Character.isLetter(s.charAt(0)) ? s : "d" + s;
  }
}
