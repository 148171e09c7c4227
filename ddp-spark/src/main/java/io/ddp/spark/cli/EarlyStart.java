package io.ddp.spark.cli;

import io.ddp.core.model.PipelineDeclare;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work a command needs that does not depend on the pipeline being valid, started on other threads as
 * soon as the pipeline is read, so it overlaps validation and the input checks on a second core:
 * <ul>
 *   <li>the SparkSession (2-3 s of a local session's start);</li>
 *   <li>with a local master (tasks run in this JVM), Spark's case-mapping table: the first
 *       {@code lower}/{@code upper}/{@code initcap} of a JVM builds it from every Unicode code point
 *       (Spark 4's {@code CollationAwareUTF8String}, 4-5 s of one core) in the middle of the first job.</li>
 * </ul>
 * The result is the same session the command would have started itself: if the early start failed, it
 * is started again in the caller's thread, which reports the same error. Switched off with
 * {@code --conf spark.ddp.fastStart=false} (the session then starts after validation, as before).
 */
public final class EarlyStart {
  /** The switch: {@code false} starts nothing early. */
  static final String SWITCH = "spark.ddp.fastStart";
  private static final String CASE_TABLE = "org.apache.spark.sql.catalyst.util.CollationAwareUTF8String";
  private static final Logger LOG = LoggerFactory.getLogger(EarlyStart.class);
  private static final java.util.concurrent.atomic.AtomicBoolean TABLE_STARTED = new java.util.concurrent.atomic.AtomicBoolean();

  private final Map<String, String> conf;
  private final Optional<String> master;
  private final boolean existing;
  private final CompletableFuture<SparkSession> session;

  private EarlyStart(Map<String, String> conf, Optional<String> master, boolean existing, CompletableFuture<SparkSession> session) {
    this.conf = conf;
    this.master = master;
    this.existing = existing;
    this.session = session;
  }

  /** Whether fast start is on for this pipeline and conf (the command line's conf wins). */
  static boolean enabled(PipelineDeclare pipeline, Map<String, String> conf) {
    String value = conf.getOrDefault(SWITCH, pipeline == null ? null : pipeline.spark().get(SWITCH));
    return value == null || !value.trim().equalsIgnoreCase("false");
  }

  /**
   * Starts the session (and, for a local master, the case-mapping table) on daemon threads, unless
   * switched off or a session exists already (a test's, spark-submit's: nothing to start).
   */
  static EarlyStart begin(PipelineDeclare pipeline, Map<String, String> conf, Optional<String> master) {
    boolean existing = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
    if (pipeline == null || existing || !enabled(pipeline, conf)) {
      return new EarlyStart(conf, master, existing, null);
    }
    boolean local = SparkSessions.master(pipeline, conf, master, System.getProperty("spark.master")).orElse("local[*]").startsWith("local");
    if (local) {
      startCaseTable();
    }
    CompletableFuture<SparkSession> future = new CompletableFuture<>();
    Thread start = new Thread(() -> {
      try {
        future.complete(SparkSessions.create(pipeline, conf, master));
      } catch (Throwable e) { // reported by session(), which starts it again in the caller's thread
        future.completeExceptionally(e);
      }
    }, "ddp-early-session");
    start.setDaemon(true);
    start.start();
    return new EarlyStart(conf, master, existing, future);
  }

  /**
   * From the command line alone, as the JVM starts: begins building Spark's case-mapping table for a
   * {@code run} or {@code show} that will run tasks in this JVM (no master other than local given to
   * spark-submit or {@code --master}, fast start not switched off), a second earlier than {@link #begin}.
   */
  public static void fromCommandLine(String[] args) {
    if (wantsCaseTable(args, System.getProperty("spark.master"))) {
      startCaseTable();
    }
  }

  /** Whether {@code args} (with spark-submit's master, or null) ask for a run or show of tasks in this JVM, fast start on. */
  static boolean wantsCaseTable(String[] args, String submitted) {
    if (args.length == 0 || !(args[0].equals("run") || args[0].equals("show"))) {
      return false;
    }
    if (submitted != null && !submitted.startsWith("local")) {
      return false;
    }
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        break;
      }
      boolean remoteMaster = (a.equals("--master") && i + 1 < args.length && !args[i + 1].startsWith("local"))
          || (a.startsWith("--master=") && !a.substring("--master=".length()).startsWith("local"));
      boolean off = a.replace(" ", "").equalsIgnoreCase(SWITCH + "=false") || a.replace(" ", "").equalsIgnoreCase("--conf=" + SWITCH + "=false");
      if (remoteMaster || off || a.equals("--dry-run")) {
        return false;
      }
    }
    return true;
  }

  private static void startCaseTable() {
    if (!TABLE_STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread table = new Thread(() -> {
      try {
        Class.forName(CASE_TABLE, true, EarlyStart.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        LOG.debug("no case-mapping table to prepare: {}", e.toString());
      }
    }, "ddp-early-case-table");
    table.setDaemon(true);
    table.start();
  }

  /** Whether a session existed before this command (it is then not stopped at the end). */
  boolean existing() {
    return existing;
  }

  /**
   * The session for {@code validated} (the pipeline as read and validated: the same declaration the
   * early start used): the early one, or one started now.
   */
  SparkSession session(PipelineDeclare validated) {
    if (session != null) {
      try {
        return session.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        LOG.debug("the early session start failed; starting it again: {}", e.getCause().toString());
      }
    }
    return SparkSessions.create(validated, conf, master);
  }

  /**
   * The command stops before running anything (the pipeline is invalid, an input is missing): the
   * early session, once up, is stopped on its thread; the command does not wait for it.
   */
  void abandon() {
    if (session != null) {
      session.thenAccept(SparkSession::stop);
    }
  }
}
