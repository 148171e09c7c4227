package io.ddp.spark.profile;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor side of {@link PipeProfiler}: samples the stacks of the task threads whose job asked
 * for it (local property {@link PipeProfiler#CLASSES}) every few milliseconds, classifies each sample
 * ({@link StackClassifier}) and sends the counts of a task to the driver when the task ends. Threads
 * of other jobs are never sampled; with no such task running the sampling thread only sleeps.
 */
final class TaskSampler implements ExecutorPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(TaskSampler.class);
  private static final long IDLE_MILLIS = 100;

  /** One sampled task. */
  private record Task(String group, StackClassifier classifier, Map<String, Long> counts) {}

  private final Map<Long, Task> running = new ConcurrentHashMap<>();
  private final Map<String, StackClassifier> classifiers = new ConcurrentHashMap<>();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private volatile boolean stopped;
  private PluginContext context;
  private long interval;
  private Thread sampler;

  @Override
  public void init(PluginContext ctx, Map<String, String> extraConf) {
    this.context = ctx;
    this.interval = Math.max(1, ctx.conf().getLong(PipeProfiler.INTERVAL_CONF, PipeProfiler.DEFAULT_INTERVAL_MILLIS));
    sampler = new Thread(this::sampleUntilStopped, "ddp-profile-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  @Override
  public void onTaskStart() {
    TaskContext task = TaskContext.get();
    String spec = task == null ? null : task.getLocalProperty(PipeProfiler.CLASSES);
    if (spec == null) {
      return;
    }
    String group = task.getLocalProperty("spark.jobGroup.id");
    StackClassifier classifier = classifiers.computeIfAbsent(spec, StackClassifier::parse);
    running.put(Thread.currentThread().getId(), new Task(group == null ? "" : group, classifier, new ConcurrentHashMap<>()));
  }

  @Override
  public void onTaskSucceeded() {
    taskEnded();
  }

  @Override
  public void onTaskFailed(TaskFailedReason reason) {
    taskEnded();
  }

  private void taskEnded() {
    Task t = running.remove(Thread.currentThread().getId());
    if (t == null || t.counts().isEmpty()) {
      return;
    }
    try {
      context.send(new WorkSamples(t.group(), interval, t.counts()));
    } catch (Exception e) { // a profile is never worth failing a task for
      LOG.debug("could not send a task's profile to the driver", e);
    }
  }

  private void sampleUntilStopped() {
    while (!stopped) {
      try {
        Thread.sleep(running.isEmpty() ? IDLE_MILLIS : interval);
        if (!running.isEmpty()) {
          sample();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.debug("a profile sample failed", e);
      }
    }
  }

  private void sample() {
    long[] ids = running.keySet().stream().mapToLong(Long::longValue).toArray();
    ThreadInfo[] infos = threads.getThreadInfo(ids, Integer.MAX_VALUE);
    for (ThreadInfo info : infos) {
      if (info == null) {
        continue; // ended since
      }
      Task t = running.get(info.getThreadId());
      if (t != null) { // classifiers (and their caches) are only used by this sampling thread
        t.counts().merge(t.classifier().classify(info.getStackTrace(), info.getThreadState()), 1L, Long::sum);
      }
    }
  }

  @Override
  public void shutdown() {
    stopped = true;
    if (sampler != null) {
      sampler.interrupt();
    }
  }
}
