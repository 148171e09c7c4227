package io.ddp.core.plan;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.ExpectationDeclare;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run does with each dataset, decided before it starts: the steps that produce them (a read
 * from the location, or a pipe), which datasets are kept (persisted) because several consumers read
 * them, which are written, and after which steps each can be released.
 *
 * <p>Spark evaluates lazily: a pipe's output is computed by the first <em>action</em> that needs it,
 * and the actions of a run are writing a sink and materializing a persisted dataset. A dataset is
 * therefore still needed until every action that reads it, directly or through a chain of datasets
 * that are not persisted (writing does not cut Spark's lineage, persisting does), has finished; only
 * then is it released (unpersisted, its pipe's cleanups run).
 */
public final class RunPlan {
  /** How a step produces its dataset. */
  public enum Kind {
    /** Read from the declared location (a source, or the output of a pipe this run does not select). */
    READ,
    /** Computed by a selected pipe. */
    PIPE
  }

  /**
   * One step of the run, producing one dataset.
   *
   * @param dataId the dataset it produces
   * @param kind read or pipe
   * @param pipe the pipe for {@link Kind#PIPE}, null for {@link Kind#READ}
   * @param dependsOn the datasets whose steps must finish first
   */
  public record Step(String dataId, Kind kind, PlannedPipe pipe, List<String> dependsOn) {
    public Step {
      dependsOn = List.copyOf(dependsOn);
    }

    public String label() {
      return kind == Kind.PIPE ? pipe.label() : "read " + dataId;
    }
  }

  private final Selection selection;
  private final Map<String, Step> steps = new LinkedHashMap<>();
  private final Map<String, Integer> readCounts = new HashMap<>();
  private final Set<String> persisted = new LinkedHashSet<>();
  private final Set<String> written = new LinkedHashSet<>();
  private final Set<String> measured = new LinkedHashSet<>();
  private final Set<String> groupedFromWrite = new LinkedHashSet<>();
  private final Set<String> observedInPlace = new LinkedHashSet<>();
  private final Map<String, Set<String>> needers = new HashMap<>();
  private final Map<String, List<String>> releasedAfter = new HashMap<>();

  private RunPlan(Selection selection, boolean writeSinks) {
    this.selection = selection;
    ExecutionPlan plan = selection.plan();
    for (String id : selection.readFromLocation()) {
      steps.put(id, new Step(id, Kind.READ, null, List.of()));
    }
    for (PlannedPipe p : selection.order()) {
      String out = p.declaration().outputDataId();
      steps.put(out, new Step(out, Kind.PIPE, p, p.declaration().inputDataId()));
      for (String in : p.declaration().inputDataId()) {
        readCounts.merge(in, 1, Integer::sum);
      }
      if (writeSinks && plan.role(out) == ExecutionPlan.Role.SINK) {
        written.add(out);
        readCounts.merge(out, 1, Integer::sum);
      }
    }
    for (String id : steps.keySet()) {
      // Declared metrics are observed during the one action that computes a dataset; grouped ones
      // then aggregate it once more, so they count as a consumer (unless they can read back what
      // was just written), and so do ungrouped ones on a dataset that no write computes.
      List<io.ddp.core.model.MetricDeclare> metrics = plan.pipeline().metricsOn(id);
      boolean grouped = metrics.stream().anyMatch(io.ddp.core.model.MetricDeclare::aggregatedSeparately);
      // Expectations are counted like ungrouped metrics; "fail" and "quarantine" need the dataset
      // computed in its own step (before any reader, and once for the kept and the quarantined rows).
      List<ExpectationDeclare> expectations = plan.data(id).expectations();
      boolean ownStep = expectations.stream().anyMatch(e -> e.onViolation() == ExpectationDeclare.Action.FAIL
          || e.onViolation() == ExpectationDeclare.Action.QUARANTINE);
      boolean ungrouped = metrics.stream().anyMatch(m -> !m.aggregatedSeparately()) || !expectations.isEmpty();
      if (grouped && written.contains(id) && readBack(plan.data(id))) {
        groupedFromWrite.add(id);
        grouped = false;
        measured.add(id);
      }
      // A dataset declared "persist": "none" is not kept for its plain metrics either: they are
      // observed while its readers compute it (no action of its own).
      if (ungrouped && !grouped && !ownStep && !written.contains(id) && DataDeclare.PERSIST_NONE.equals(plan.data(id).persist())
          && readCounts.getOrDefault(id, 0) >= 1) {
        observedInPlace.add(id);
        ungrouped = false;
      }
      int extra = (grouped ? 1 : 0) + (ungrouped && !written.contains(id) ? 1 : 0);
      if (extra > 0) {
        readCounts.merge(id, extra, Integer::sum);
        measured.add(id);
      }
    }
    for (String id : steps.keySet()) {
      String persist = plan.data(id).persist();
      int n = readCounts.getOrDefault(id, 0);
      boolean keep = DataDeclare.PERSIST_AUTO.equals(persist) ? n >= 2 : !DataDeclare.PERSIST_NONE.equals(persist) && n >= 1;
      // A dataset checked in its own step ("fail", "quarantine" expectations) is kept even with
      // "persist": "none": its readers must read the rows that were checked, not a new computation.
      boolean checkedInOwnStep = !written.contains(id) && n >= 2 && plan.data(id).expectations().stream().anyMatch(
          e -> e.onViolation() == ExpectationDeclare.Action.FAIL || e.onViolation() == ExpectationDeclare.Action.QUARANTINE);
      if (keep || checkedInOwnStep) {
        persisted.add(id);
      }
    }
    Map<String, Set<String>> reach = new HashMap<>();
    List<String> reverse = new ArrayList<>(steps.keySet());
    Collections.reverse(reverse);
    // Steps are in dependency order, so walking them backwards sees every consumer before its input.
    for (String id : reverse) {
      Set<String> need = new LinkedHashSet<>();
      need.add(id);
      for (String out : consumerOutputs(id)) {
        // The consumer's own step too: its pipe may touch the data while building its output.
        need.add(out);
        need.addAll(reach.get(out));
      }
      needers.put(id, need);
      // Only a persisted dataset cuts the lineage: a written but uncached one is recomputed from its inputs.
      reach.put(id, persisted(id) ? Set.of(id) : needersWithoutSelf(need, id));
    }
    needers.forEach((id, set) -> set.forEach(step -> releasedAfter.computeIfAbsent(step, k -> new ArrayList<>()).add(id)));
  }

  /** Formats whose files a grouped metric reads back cheaply (columnar, self-describing). */
  private static final Set<String> READ_BACK_FORMATS = Set.of("parquet", "orc", "avro");

  /**
   * Whether grouped metrics of a written dataset can aggregate the files just written instead of a
   * kept copy: a columnar format, and a mode after which the location holds exactly this run's rows.
   */
  private static boolean readBack(DataDeclare d) {
    return d.format() != null && READ_BACK_FORMATS.contains(d.format().toLowerCase(java.util.Locale.ROOT))
        && (d.mode() == io.ddp.core.model.WriteMode.OVERWRITE || d.mode() == io.ddp.core.model.WriteMode.ERROR_IF_EXISTS);
  }

  private static Set<String> needersWithoutSelf(Set<String> need, String id) {
    Set<String> copy = new LinkedHashSet<>(need);
    copy.remove(id);
    return copy;
  }

  /** The run of a selection; {@code writeSinks} false when sinks are captured in memory (tests). */
  public static RunPlan of(Selection selection, boolean writeSinks) {
    return new RunPlan(selection, writeSinks);
  }

  public Selection selection() {
    return selection;
  }

  /** Every step, reads first, then pipes in plan order (a valid execution order). */
  public List<Step> steps() {
    return List.copyOf(steps.values());
  }

  public Step step(String dataId) {
    return steps.get(dataId);
  }

  /** How many selected pipes read the dataset, plus one when the run writes it. */
  public int readCount(String dataId) {
    return readCounts.getOrDefault(dataId, 0);
  }

  /** Whether the run keeps the dataset (persists it) so that it is computed once. */
  public boolean persisted(String dataId) {
    return persisted.contains(dataId);
  }

  /** Whether the run writes the dataset to its location. */
  public boolean written(String dataId) {
    return written.contains(dataId);
  }

  /** Whether a Spark action computes this dataset in its own step (it is persisted, written or measured). */
  public boolean materialized(String dataId) {
    return persisted.contains(dataId) || written.contains(dataId) || measured.contains(dataId);
  }

  /**
   * Whether the grouped metrics of this written dataset aggregate the files the run wrote (read back
   * after the write) rather than a kept copy: the dataset is then not persisted for them.
   */
  public boolean groupedFromWrite(String dataId) {
    return groupedFromWrite.contains(dataId);
  }

  /**
   * Whether the plain metrics of this dataset (declared {@code "persist": "none"}, read by pipes, not
   * written) are observed while its readers compute it, instead of in an action of its own.
   */
  public boolean observedInPlace(String dataId) {
    return observedInPlace.contains(dataId);
  }

  /** Whether the run evaluates declared metrics on this dataset (in its own step). */
  public boolean measured(String dataId) {
    return measured.contains(dataId);
  }

  /** The steps that must finish before the dataset can be released (its own step included). */
  public Set<String> neededUntil(String dataId) {
    return Collections.unmodifiableSet(needers.getOrDefault(dataId, Set.of()));
  }

  /** The datasets whose release waits (among others) for this step. */
  public List<String> releasedAfter(String stepDataId) {
    return Collections.unmodifiableList(releasedAfter.getOrDefault(stepDataId, List.of()));
  }

  private List<String> consumerOutputs(String id) {
    List<String> out = new ArrayList<>();
    for (PlannedPipe p : selection.plan().readers(id)) {
      if (selection.contains(p.index())) {
        out.add(p.declaration().outputDataId());
      }
    }
    return out;
  }
}
