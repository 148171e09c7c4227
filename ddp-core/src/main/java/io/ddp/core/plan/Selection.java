package io.ddp.core.plan;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.model.DataDeclare;
import io.ddp.core.text.Suggestions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The part of a plan a run executes: the selected pipes, and the datasets it reads from their
 * declared locations (sources, and outputs of pipes that are not selected).
 *
 * <pre>{@code
 * Selection part = Selection.partial(plan, Optional.of("FeatureData"), Optional.empty(), Optional.empty());
 * }</pre>
 */
public final class Selection {
  private static final Pattern INDEX = Pattern.compile("#?([0-9]+)");

  private final ExecutionPlan plan;
  private final Set<Integer> pipes;
  private final Set<String> readFromLocation;

  private Selection(ExecutionPlan plan, Set<Integer> pipes) {
    this.plan = plan;
    this.pipes = Collections.unmodifiableSet(new TreeSet<>(pipes));
    Set<String> read = new LinkedHashSet<>();
    for (PlannedPipe p : plan.order()) {
      if (pipes.contains(p.index())) {
        for (String in : p.declaration().inputDataId()) {
          if (plan.producer(in).map(q -> !pipes.contains(q.index())).orElse(true)) {
            read.add(in);
          }
        }
      }
    }
    this.readFromLocation = Collections.unmodifiableSet(read);
  }

  /** Every pipe of the plan. */
  public static Selection all(ExecutionPlan plan) {
    Set<Integer> all = new LinkedHashSet<>();
    plan.order().forEach(p -> all.add(p.index()));
    return new Selection(plan, all);
  }

  /**
   * {@code --from}, {@code --to}, {@code --only}. An id is a dataId, a pipe name, or a pipe index
   * ({@code 3} or {@code #3}). From a pipe: it and everything downstream; from a dataset: the pipes
   * that read it and everything downstream. To a pipe: it and everything upstream; to a dataset: its
   * producer and everything upstream. Only a pipe: that pipe; only a dataset: its producer. From and
   * to together select what lies between.
   *
   * @throws DdpException for an unknown id, a source given to --to or --only, or --only with --from/--to
   */
  public static Selection partial(ExecutionPlan plan, Optional<String> from, Optional<String> to, Optional<String> only) {
    if (only.isPresent() && (from.isPresent() || to.isPresent())) {
      throw new DdpException("Cannot combine --only with --from or --to: --only selects exactly one pipe");
    }
    if (only.isPresent()) {
      return new Selection(plan, Set.of(producerOf(plan, only.get(), "--only")));
    }
    Set<Integer> selected = new LinkedHashSet<>();
    plan.order().forEach(p -> selected.add(p.index()));
    if (from.isPresent()) {
      Target t = resolve(plan, from.get(), "--from");
      List<Integer> starts = new ArrayList<>();
      if (t.pipe != null) {
        starts.add(t.pipe);
      } else {
        plan.readers(t.dataId).forEach(p -> starts.add(p.index()));
        if (starts.isEmpty()) {
          throw new DdpException("Cannot run --from " + from.get() + ": no pipe reads dataset '" + t.dataId + "'");
        }
      }
      selected.retainAll(downstream(plan, starts));
    }
    if (to.isPresent()) {
      selected.retainAll(upstream(plan, List.of(producerOf(plan, to.get(), "--to"))));
    }
    if (selected.isEmpty()) {
      throw new DdpException("Cannot run --from " + from.orElse("") + " --to " + to.orElse("")
          + ": no pipe lies between them (" + to.orElse("") + " is not downstream of " + from.orElse("") + ")");
    }
    return new Selection(plan, selected);
  }

  /**
   * What must run to produce {@code targets}, reading every dataset in {@code available} (already
   * written by an earlier run) from its location instead of recomputing it: the basis of resume.
   */
  public static Selection toProduce(ExecutionPlan plan, Set<String> targets, Set<String> available) {
    Set<Integer> selected = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(targets);
    Set<String> seen = new LinkedHashSet<>();
    while (!todo.isEmpty()) {
      String id = todo.pop();
      if (!seen.add(id)) {
        continue;
      }
      Optional<PlannedPipe> producer = plan.producer(id);
      boolean reusable = available.contains(id) && !targets.contains(id) && plan.data(id).hasLocation();
      if (producer.isEmpty() || reusable) {
        continue;
      }
      selected.add(producer.get().index());
      todo.addAll(producer.get().declaration().inputDataId());
    }
    return new Selection(plan, selected);
  }

  public ExecutionPlan plan() {
    return plan;
  }

  /** Selected pipes by 1-based index, ascending. */
  public Set<Integer> pipes() {
    return pipes;
  }

  public boolean contains(int index) {
    return pipes.contains(index);
  }

  public boolean isAll() {
    return pipes.size() == plan.order().size();
  }

  /** Datasets the run reads from their declared locations: sources and outputs of unselected pipes. */
  public Set<String> readFromLocation() {
    return readFromLocation;
  }

  /** Selected pipes in plan order. */
  public List<PlannedPipe> order() {
    List<PlannedPipe> out = new ArrayList<>();
    plan.order().forEach(p -> {
      if (pipes.contains(p.index())) {
        out.add(p);
      }
    });
    return out;
  }

  /**
   * Problems with reading the datasets this selection needs from their locations (not produced by a
   * selected pipe and without a location), one sentence each naming the pipe that must run first.
   */
  public List<String> unavailableInputs() {
    List<String> out = new ArrayList<>();
    for (String id : readFromLocation) {
      DataDeclare d = plan.data(id);
      Optional<PlannedPipe> producer = plan.producer(id);
      if (!d.hasLocation() && producer.isPresent()) {
        PlannedPipe reader = order().stream().filter(p -> p.declaration().inputDataId().contains(id)).findFirst().orElseThrow();
        out.add("dataset '" + id + "' is read by " + reader.label() + " but produced by " + producer.get().label()
            + ", which is not selected, and it has no location to read it from; run " + producer.get().label()
            + " in the same run (e.g. --to " + reader.index() + ") or give '" + id + "' a location");
      }
    }
    return out;
  }

  private record Target(Integer pipe, String dataId) {}

  private static Target resolve(ExecutionPlan plan, String id, String option) {
    if (plan.data().containsKey(id)) {
      return new Target(null, id);
    }
    for (PlannedPipe p : plan.order()) {
      if (id.equals(p.declaration().name())) {
        return new Target(p.index(), null);
      }
    }
    java.util.regex.Matcher m = INDEX.matcher(id);
    if (m.matches()) {
      int index = Integer.parseInt(m.group(1));
      if (index < 1 || index > plan.order().size()) {
        throw new DdpException("Cannot run " + option + " " + id + ": the pipeline has pipes #1 to #" + plan.order().size());
      }
      return new Target(index, null);
    }
    List<String> names = new ArrayList<>(plan.data().keySet());
    plan.order().forEach(p -> {
      if (p.declaration().name() != null) {
        names.add(p.declaration().name());
      }
    });
    throw new DdpException("Cannot run " + option + " " + id + ": no dataset, pipe name or pipe index is called '" + id + "'"
        + Suggestions.didYouMean(id, names) + "; give a dataId, a pipe \"name\", or an index like 3");
  }

  private static int producerOf(ExecutionPlan plan, String id, String option) {
    Target t = resolve(plan, id, option);
    if (t.pipe != null) {
      return t.pipe;
    }
    return plan.producer(t.dataId).map(PlannedPipe::index).orElseThrow(() -> new DdpException(
        "Cannot run " + option + " " + id + ": dataset '" + id + "' is a source, nothing produces it; name a produced dataset or a pipe"));
  }

  private static Set<Integer> downstream(ExecutionPlan plan, List<Integer> starts) {
    Set<Integer> out = new LinkedHashSet<>();
    Deque<Integer> todo = new ArrayDeque<>(starts);
    while (!todo.isEmpty()) {
      int p = todo.pop();
      if (out.add(p)) {
        for (int d : plan.graph().downstream(p)) {
          todo.push(d);
        }
      }
    }
    return out;
  }

  private static Set<Integer> upstream(ExecutionPlan plan, List<Integer> starts) {
    Set<Integer> out = new LinkedHashSet<>();
    Deque<Integer> todo = new ArrayDeque<>(starts);
    while (!todo.isEmpty()) {
      int p = todo.pop();
      if (out.add(p)) {
        for (int u : plan.graph().upstream(p)) {
          todo.push(u);
        }
      }
    }
    return out;
  }
}
