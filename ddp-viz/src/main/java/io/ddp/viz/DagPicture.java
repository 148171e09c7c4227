package io.ddp.viz;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.PlannedPipe;
import io.ddp.core.plan.Stage;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The data DAG of a plan as Graphviz DOT: datasets (id, format, location, role, encryption) and pipes
 * (index, name or type, stage, and during a run their state, rows, duration and error), pipes grouped
 * in one box per stage so that large pipelines stay readable. Node ids are generated, and every
 * label is escaped, so no dataId, location or error text can break the DOT or the SVG.
 *
 * <pre>{@code
 * String dot = DagPicture.dot(plan, RunView.EMPTY);
 * }</pre>
 */
public final class DagPicture {
  private static final int MAX_TEXT = 60;

  private DagPicture() {}

  public static String dot(ExecutionPlan plan, RunView view) {
    StringBuilder sb = new StringBuilder();
    sb.append("digraph ").append(quote("ddp " + plan.pipeline().name())).append(" {\n");
    sb.append("  graph [rankdir=LR, fontname=\"sans-serif\", fontsize=12, nodesep=0.3, ranksep=0.6, label=")
        .append(quote(plan.pipeline().name() + summary(plan, view))).append(", labelloc=t];\n");
    sb.append("  node [fontname=\"sans-serif\", fontsize=10];\n");
    sb.append("  edge [color=\"#555555\", arrowsize=0.7];\n");
    Map<String, String> dataIds = new HashMap<>();
    int d = 0;
    for (DataDeclare data : plan.data().values()) {
      String id = "d" + d++;
      dataIds.put(data.dataId(), id);
      sb.append("  ").append(id).append(" [").append(datasetStyle(plan.role(data.dataId()))).append(", label=")
          .append(quote(datasetLabel(plan, data, view.notes().getOrDefault(data.dataId(), List.of())))).append("];\n");
    }
    for (Stage stage : plan.stages()) {
      sb.append("  subgraph cluster_stage_").append(stage.number()).append(" {\n");
      sb.append("    label=").append(quote("stage " + stage.number())).append("; style=\"rounded,dashed\"; color=\"#999999\"; fontcolor=\"#666666\";\n");
      for (PlannedPipe p : stage.pipes()) {
        PipeView v = view.pipe(p.index());
        sb.append("    p").append(p.index()).append(" [").append(pipeStyle(v.state())).append(", label=")
            .append(quote(pipeLabel(p, v))).append("];\n");
      }
      sb.append("  }\n");
    }
    for (PlannedPipe p : plan.order()) {
      TransformerDeclare t = p.declaration();
      for (String in : t.inputDataId()) {
        sb.append("  ").append(dataIds.get(in)).append(" -> p").append(p.index()).append(";\n");
      }
      sb.append("  p").append(p.index()).append(" -> ").append(dataIds.get(t.outputDataId())).append(";\n");
    }
    sb.append("}\n");
    return sb.toString();
  }

  private static String summary(ExecutionPlan plan, RunView view) {
    if (view.pipes().isEmpty()) {
      return "\n" + plan.order().size() + " pipes in " + plan.stages().size() + " stages";
    }
    Map<PipeView.State, Integer> counts = new java.util.EnumMap<>(PipeView.State.class);
    for (PlannedPipe p : plan.order()) {
      counts.merge(view.pipe(p.index()).state(), 1, Integer::sum);
    }
    StringBuilder sb = new StringBuilder("\n");
    counts.forEach((s, n) -> sb.append(sb.length() > 1 ? ", " : "").append(n).append(' ').append(s.name().toLowerCase(Locale.ROOT)));
    return sb.toString();
  }

  private static String datasetLabel(ExecutionPlan plan, DataDeclare data, List<String> notes) {
    StringBuilder sb = new StringBuilder(data.dataId());
    ExecutionPlan.Role role = plan.role(data.dataId());
    sb.append('\n').append(role.name().toLowerCase(Locale.ROOT));
    if (data.format() != null) {
      sb.append(" · ").append(data.format());
    }
    if (data.encryption() != null) {
      sb.append(" · encrypted (").append(data.encryption().mode()).append(')');
    }
    if (data.hasLocation()) {
      sb.append('\n').append(shorten(io.ddp.core.text.Secrets.mask(data.location())));
    }
    notes.forEach(n -> sb.append('\n').append(shorten(n)));
    return sb.toString();
  }

  private static String pipeLabel(PlannedPipe p, PipeView v) {
    TransformerDeclare t = p.declaration();
    StringBuilder sb = new StringBuilder("#").append(p.index()).append(' ')
        .append(t.name() != null ? t.name() : shorten(simpleType(t.transformerType())));
    if (t.name() != null) {
      sb.append('\n').append(shorten(simpleType(t.transformerType())));
    }
    sb.append("\nstage ").append(p.stage());
    if (v.state() != PipeView.State.PENDING) {
      sb.append(" · ").append(v.state().name().toLowerCase(Locale.ROOT));
    }
    if (v.rows() >= 0) {
      sb.append('\n').append(v.rows()).append(" rows");
    }
    if (v.seconds() >= 0) {
      sb.append(v.rows() >= 0 ? " · " : "\n").append(String.format(Locale.ROOT, "%.1f s", v.seconds()));
    }
    if (v.error() != null) {
      sb.append('\n').append(shorten(v.error().strip().split("\\R", 2)[0]));
    }
    return sb.toString();
  }

  private static String simpleType(String type) {
    int dot = type.lastIndexOf('.');
    return dot < 0 ? type : type.substring(dot + 1);
  }

  private static String datasetStyle(ExecutionPlan.Role role) {
    switch (role) {
      case SOURCE:
        return "shape=cylinder, style=filled, fillcolor=\"#dbe9f6\", color=\"#4a78a8\"";
      case SINK:
        return "shape=cylinder, style=filled, fillcolor=\"#d9f0d3\", color=\"#3c8d40\"";
      default:
        return "shape=note, style=\"filled,dashed\", fillcolor=\"#ffffff\", color=\"#888888\"";
    }
  }

  /** Fill, border and line style per state: distinct even in grey print (dashed, bold, dotted). */
  static String pipeStyle(PipeView.State state) {
    switch (state) {
      case RUNNING:
        return "shape=box, style=\"rounded,filled,bold\", fillcolor=\"#ffe08a\", color=\"#b8860b\", penwidth=2";
      case SUCCEEDED:
        return "shape=box, style=\"rounded,filled\", fillcolor=\"#b7e4a7\", color=\"#2e7d32\"";
      case FAILED:
        return "shape=box, style=\"rounded,filled,bold\", fillcolor=\"#f4a6a6\", color=\"#b71c1c\", penwidth=2";
      case CANCELLED:
        return "shape=box, style=\"rounded,filled,dotted\", fillcolor=\"#ffd0a8\", color=\"#e65100\"";
      case SKIPPED:
        return "shape=box, style=\"rounded,filled,dashed\", fillcolor=\"#eeeeee\", color=\"#9e9e9e\", fontcolor=\"#757575\"";
      default:
        return "shape=box, style=\"rounded\", color=\"#555555\"";
    }
  }

  private static String shorten(String s) {
    String one = s.replace('\n', ' ').replace('\r', ' ');
    return one.length() <= MAX_TEXT ? one : one.substring(0, MAX_TEXT - 1) + "…";
  }

  /** A DOT double-quoted string: backslashes and quotes escaped, newlines as centered line breaks. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\':
          sb.append("\\\\");
          break;
        case '"':
          sb.append("\\\"");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          break;
        default:
          sb.append(c < 0x20 ? ' ' : c);
      }
    }
    return sb.append('"').toString();
  }
}
