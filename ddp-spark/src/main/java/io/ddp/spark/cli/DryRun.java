package io.ddp.spark.cli;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.PlannedPipe;
import io.ddp.core.plan.RunPlan;
import io.ddp.core.plan.Selection;
import io.ddp.core.plan.Stage;
import io.ddp.core.text.Secrets;
import java.io.PrintWriter;
import java.util.List;

/** {@code ddp run --dry-run}: what a run would read, run, keep and write; starts nothing. */
final class DryRun {
  private DryRun() {}

  static void print(ExecutionPlan plan, Selection selection, List<String> missing, PrintWriter out) {
    RunPlan runPlan = RunPlan.of(selection, true);
    out.println("Dry run of " + plan.pipeline().name() + ": " + selection.pipes().size() + " of " + plan.order().size()
        + " pipes; nothing is run");
    for (String id : selection.readFromLocation()) {
      DataDeclare d = plan.data(id);
      out.println("read   " + id + " (" + d.format() + ") " + Secrets.mask(d.location()));
    }
    for (Stage stage : plan.stages()) {
      for (PlannedPipe p : stage.pipes()) {
        if (selection.contains(p.index())) {
          out.println("stage " + stage.number() + ": " + p.describe());
        }
      }
    }
    for (RunPlan.Step s : runPlan.steps()) {
      if (runPlan.persisted(s.dataId())) {
        out.println("keep   " + s.dataId() + " (" + runPlan.readCount(s.dataId()) + " consumers, persist "
            + plan.data(s.dataId()).persist() + ")");
      }
    }
    for (RunPlan.Step s : runPlan.steps()) {
      if (runPlan.written(s.dataId())) {
        DataDeclare d = plan.data(s.dataId());
        out.println("write  " + s.dataId() + " (" + d.format() + ", " + d.mode() + ") " + Secrets.mask(d.location()));
      }
    }
    out.println(missing.isEmpty() ? "OK: every input is there" : missing.size() + " input problem(s)");
  }

}
