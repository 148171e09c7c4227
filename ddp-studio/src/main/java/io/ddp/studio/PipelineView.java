package io.ddp.studio;

import com.fasterxml.jackson.databind.JsonNode;
import io.ddp.core.PipelineLoader;
import io.ddp.core.json.PipelineReader;
import io.ddp.core.validate.Problem;
import io.ddp.core.validate.SourcePosition;
import io.ddp.core.validate.Validator;
import io.ddp.viz.layout.LayeredLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the studio shows of a pipeline text: its datasets and pipes laid out, and every problem the
 * validator of {@code ddp validate} finds, each placed on its node and at its line in the file. Built
 * from the text as written, so that a pipeline that does not plan (a cycle, a missing producer, an
 * unknown pipe) is still drawn.
 */
record PipelineView(List<Node> nodes, List<LayeredLayout.Route> edges, double width, double height, List<Issue> problems,
    long micros) {
  /** A node: a dataset ({@code kind} data, or missing when a pipe names an undeclared one) or a pipe. */
  record Node(String id, String kind, String label, String detail, int layer, double x, double y, double w, double h,
      int errors, int warnings) {}

  /** A problem: where it is (JSON pointer, line and column in the text) and the node it belongs to. */
  record Issue(String severity, String pointer, int line, int column, String node, String subject, String message) {}

  static final double DATA_W = 170;
  static final double DATA_H = 34;
  static final double PIPE_W = 190;
  static final double PIPE_H = 44;

  /** The id of the node of the i-th transformer (0-based), as the studio and its pages name it. */
  static String pipeId(int i) {
    return "#" + (i + 1);
  }

  static PipelineView of(String text, String location, String directory, Map<String, String> vars, Validator validator) {
    long t0 = System.nanoTime();
    PipelineReader.Result read = PipelineReader.read(text, location, directory, vars);
    PipelineLoader.Loaded loaded = PipelineLoader.validate(read, validator);
    JsonNode root;
    try {
      root = Json.read(text);
    } catch (IllegalArgumentException e) {
      root = Json.MAPPER.createObjectNode();
    }
    Map<String, String[]> data = new LinkedHashMap<>(); // id -> kind, label, detail
    List<String> dataByIndex = new ArrayList<>();
    for (JsonNode d : root.path("data")) {
      String id = d.path("dataId").asText("");
      dataByIndex.add(id);
      if (!id.isEmpty()) {
        String where = d.path("location").asText("");
        String format = d.path("format").asText(where.isEmpty() ? "" : "parquet");
        data.putIfAbsent(id, new String[] {"data", id, where.isEmpty() ? "in memory" : format + " " + where});
      }
    }
    List<LayeredLayout.Node> layoutNodes = new ArrayList<>();
    List<LayeredLayout.Edge> layoutEdges = new ArrayList<>();
    Map<String, String[]> pipes = new LinkedHashMap<>();
    Set<String> missing = new LinkedHashSet<>();
    int i = 0;
    for (JsonNode t : root.path("transformers")) {
      String id = pipeId(i++);
      String type = t.path("transformerType").asText("?");
      String name = t.path("name").asText("");
      pipes.put(id, new String[] {"pipe", name.isEmpty() ? id + " " + type : id + " " + name, type});
      JsonNode inputs = t.path("inputDataId");
      for (JsonNode in : inputs.isArray() ? inputs : List.of(inputs)) {
        String ds = in.asText("");
        if (!ds.isEmpty()) {
          layoutEdges.add(new LayeredLayout.Edge(ds, id));
          if (!data.containsKey(ds)) {
            missing.add(ds);
          }
        }
      }
      String out = t.path("outputDataId").asText("");
      if (!out.isEmpty()) {
        layoutEdges.add(new LayeredLayout.Edge(id, out));
        if (!data.containsKey(out)) {
          missing.add(out);
        }
      }
    }
    missing.forEach(m -> data.put(m, new String[] {"missing", m, "not declared in \"data\""}));
    data.forEach((id, d) -> layoutNodes.add(new LayeredLayout.Node(id, DATA_W, DATA_H)));
    pipes.forEach((id, p) -> layoutNodes.add(new LayeredLayout.Node(id, PIPE_W, PIPE_H)));

    List<Issue> issues = issues(loaded.problems(), loaded.sources(), dataByIndex);
    Map<String, int[]> counts = new LinkedHashMap<>();
    for (Issue issue : issues) {
      if (issue.node() != null) {
        counts.computeIfAbsent(issue.node(), k -> new int[2])[issue.severity().equals("error") ? 0 : 1]++;
      }
    }

    LayeredLayout.Result layout = LayeredLayout.layout(layoutNodes, layoutEdges);
    List<Node> nodes = new ArrayList<>();
    for (LayeredLayout.Placed p : layout.nodes()) {
      String[] d = data.containsKey(p.id()) && !pipes.containsKey(p.id()) ? data.get(p.id()) : pipes.get(p.id());
      int[] c = counts.getOrDefault(p.id(), new int[2]);
      nodes.add(new Node(p.id(), d[0], d[1], d[2], p.layer(), p.x(), p.y(), p.width(), p.height(), c[0], c[1]));
    }
    return new PipelineView(nodes, layout.edges(), layout.width(), layout.height(), issues, (System.nanoTime() - t0) / 1000);
  }

  /** Problems as the page shows them: severity, JSON pointer, line and column, node; errors first. */
  static List<Issue> issues(List<Problem> problems, io.ddp.core.validate.SourceMap sources, List<String> dataByIndex) {
    List<Issue> issues = new ArrayList<>();
    for (Problem p : problems) {
      SourcePosition at = sources == null ? null : sources.find(p.pointer()).orElse(null);
      issues.add(new Issue(p.isError() ? "error" : "warning", p.pointer(), at == null ? 0 : at.line(), at == null ? 0 : at.column(),
          nodeOf(p.pointer(), dataByIndex), p.subject(), p.message()));
    }
    issues.sort(java.util.Comparator.comparing(Issue::severity).thenComparingInt(Issue::line).thenComparingInt(Issue::column));
    return issues;
  }

  /** The dataIds of the "data" entries, by index ("" where an entry has none). */
  static List<String> dataIds(JsonNode root) {
    List<String> out = new ArrayList<>();
    root.path("data").forEach(d -> out.add(d.path("dataId").asText("")));
    return out;
  }

  /** The node a problem belongs to: {@code /transformers/3/...} is pipe #4, {@code /data/2/...} the third dataset. */
  static String nodeOf(String pointer, List<String> dataByIndex) {
    String[] parts = pointer == null ? new String[0] : pointer.split("/");
    if (parts.length >= 3 && parts[2].matches("[0-9]+")) {
      int i = Integer.parseInt(parts[2]);
      if (parts[1].equals("transformers")) {
        return pipeId(i);
      }
      if (parts[1].equals("data") && i < dataByIndex.size() && !dataByIndex.get(i).isEmpty()) {
        return dataByIndex.get(i);
      }
    }
    return null;
  }
}
