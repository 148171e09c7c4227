package io.ddp.spark.exec;

import io.ddp.core.plan.Selection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How to run a plan: which part of it, how many pipes at once, and (for tests) sources given as
 * DataFrames and sinks kept in memory.
 *
 * <pre>{@code
 * RunOptions options = RunOptions.builder().parallelism(8).selection(part).listener(state).build();
 * }</pre>
 */
public final class RunOptions {
  /** Pipes run at once by default. */
  public static final int DEFAULT_PARALLELISM = 4;

  private final Selection selection;
  private final int parallelism;
  private final Map<String, Dataset<Row>> givenSources;
  private final boolean captureOutputs;
  private final boolean writesNothing;
  private final List<RunListener> listeners;
  private final String commitRunId;
  private final boolean schemasChecked;
  private final boolean profile;

  private RunOptions(Builder b) {
    this.selection = b.selection;
    this.parallelism = b.parallelism;
    this.givenSources = Map.copyOf(b.givenSources);
    this.captureOutputs = b.captureOutputs || b.writesNothing;
    this.writesNothing = b.writesNothing;
    this.listeners = List.copyOf(b.listeners);
    this.commitRunId = b.commitRunId;
    this.schemasChecked = b.schemasChecked;
    this.profile = b.profile;
  }

  public static RunOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The part to run; null for the whole plan. */
  public Selection selection() {
    return selection;
  }

  public int parallelism() {
    return parallelism;
  }

  public Map<String, Dataset<Row>> givenSources() {
    return givenSources;
  }

  /** True when every pipe output is kept in {@link RunResult#captured()} and no sink is written. */
  public boolean captureOutputs() {
    return captureOutputs;
  }

  /**
   * True when the run writes nothing at all ({@code ddp show}): outputs are captured, and the rows a
   * csv or json source could not parse are counted but not written to its quarantine.
   */
  public boolean writesNothing() {
    return writesNothing;
  }

  public List<RunListener> listeners() {
    return listeners;
  }

  /** The run id that tags each sink's commit marker; null: the executor's own run id. */
  public String commitRunId() {
    return commitRunId;
  }

  /** Builds {@link RunOptions}. */
  /** Whether the caller already ran {@link StaticSchemaCheck} on this plan, so the run does not again. */
  public boolean schemasChecked() {
    return schemasChecked;
  }

  /**
   * Whether the executors sample the run's tasks to tell where their time goes ({@link RunResult#work()});
   * needs {@link io.ddp.spark.profile.PipeProfiler} in {@code spark.plugins}.
   */
  public boolean profile() {
    return profile;
  }

  public static final class Builder {
    private Selection selection;
    private int parallelism = DEFAULT_PARALLELISM;
    private final Map<String, Dataset<Row>> givenSources = new LinkedHashMap<>();
    private boolean captureOutputs;
    private boolean writesNothing;
    private final List<RunListener> listeners = new ArrayList<>();
    private String commitRunId;
    private boolean schemasChecked;
    private boolean profile;

    /** Samples the run's tasks, pipe by pipe (see {@link RunOptions#profile()}). */
    public Builder profile(boolean value) {
      this.profile = value;
      return this;
    }

    /** The caller ran {@link StaticSchemaCheck} itself (as {@code ddp run} does before it records the run). */
    public Builder schemasChecked(boolean value) {
      this.schemasChecked = value;
      return this;
    }

    /**
     * Tags each sink's commit marker with this run id (the CLI passes the id its run state keeps,
     * the original run's on {@code --resume}), so a later resume can tell what this run committed.
     */
    public Builder commitRunId(String value) {
      this.commitRunId = value;
      return this;
    }

    public Builder selection(Selection value) {
      this.selection = value;
      return this;
    }

    /** Pipes that may run at once, at least 1 (1 runs them one after another in plan order). */
    public Builder parallelism(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("RunOptions.parallelism(" + value + "): at least 1 pipe must be able to run");
      }
      this.parallelism = value;
      return this;
    }

    /** Uses {@code rows} instead of reading {@code dataId} from its location. */
    public Builder source(String dataId, Dataset<Row> rows) {
      givenSources.put(Objects.requireNonNull(dataId), Objects.requireNonNull(rows, "RunOptions.source(" + dataId + ", null)"));
      return this;
    }

    public Builder captureOutputs(boolean value) {
      this.captureOutputs = value;
      return this;
    }

    /** Write nothing: capture the outputs, and do not write sources' quarantines (see {@link RunOptions#writesNothing()}). */
    public Builder writesNothing(boolean value) {
      this.writesNothing = value;
      return this;
    }

    public Builder listener(RunListener value) {
      listeners.add(Objects.requireNonNull(value, "RunOptions.listener(null)"));
      return this;
    }

    public RunOptions build() {
      return new RunOptions(this);
    }
  }
}
