package io.ddp.spark.profile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Says what a task thread was doing from one sample of its stack: the code of a pipe (the innermost
 * frame whose class is a pipe's class, one of its nested classes or lambdas), else the kind of
 * Spark's own work (reading and parsing, writing and encoding, shuffle, sort, compression, other SQL
 * operators), else {@link #WAITING} when the thread was not running.
 */
final class StackClassifier {
  static final String READ = "read";
  static final String WRITE = "write";
  static final String SHUFFLE = "shuffle";
  static final String SORT = "sort";
  static final String COMPRESS = "compress";
  static final String SPARK = "spark";
  static final String WAITING = "waiting";

  /** Class-name prefixes of Spark's own work, the first that matches wins; tried innermost frame first. */
  private static final List<String[]> RULES = List.of(
      new String[] {"org.apache.spark.sql.catalyst.json.JacksonGenerator", WRITE},
      new String[] {"org.apache.spark.sql.catalyst.csv.UnivocityGenerator", WRITE},
      new String[] {"org.apache.spark.sql.catalyst.json.", READ},
      new String[] {"org.apache.spark.sql.catalyst.csv.", READ},
      new String[] {"com.fasterxml.jackson.core.json.", READ},
      new String[] {"com.univocity.parsers.", READ},
      new String[] {"org.apache.hadoop.util.LineReader", READ},
      new String[] {"org.apache.spark.sql.execution.datasources.HadoopFileLinesReader", READ},
      new String[] {"org.apache.spark.sql.execution.datasources.RecordReaderIterator", READ},
      new String[] {"org.apache.spark.sql.execution.datasources.parquet.Vectorized", READ},
      new String[] {"org.apache.spark.sql.execution.datasources.parquet.ParquetReadSupport", READ},
      new String[] {"org.apache.spark.sql.execution.datasources.parquet.ParquetRowConverter", READ},
      new String[] {"org.apache.parquet.hadoop.ParquetFileReader", READ},
      new String[] {"org.apache.parquet.hadoop.InternalParquetRecordReader", READ},
      new String[] {"org.apache.parquet.column.impl.ColumnReader", READ},
      new String[] {"org.apache.orc.impl.RecordReader", READ},
      new String[] {"org.apache.orc.impl.TreeReaderFactory", READ},
      new String[] {"org.apache.spark.sql.execution.datasources.orc.OrcColumnarBatchReader", READ},
      new String[] {"org.apache.parquet.", WRITE},
      new String[] {"org.apache.orc.", WRITE},
      new String[] {"org.apache.spark.sql.execution.datasources.parquet.ParquetWriteSupport", WRITE},
      new String[] {"org.apache.spark.sql.execution.datasources.orc.OrcSerializer", WRITE},
      new String[] {"org.apache.spark.sql.avro.AvroSerializer", WRITE},
      new String[] {"org.apache.avro.", WRITE},
      new String[] {"com.github.luben.zstd.", COMPRESS},
      new String[] {"org.xerial.snappy.", COMPRESS},
      new String[] {"net.jpountz.lz4.", COMPRESS},
      new String[] {"io.airlift.compress.", COMPRESS},
      new String[] {"org.apache.hadoop.io.compress.", COMPRESS},
      new String[] {"java.util.zip.", COMPRESS},
      new String[] {"org.apache.spark.util.collection.unsafe.sort.", SORT},
      new String[] {"org.apache.spark.sql.execution.UnsafeExternalRowSorter", SORT},
      new String[] {"org.apache.spark.util.collection.ExternalSorter", SORT},
      new String[] {"org.apache.spark.shuffle.", SHUFFLE},
      new String[] {"org.apache.spark.storage.ShuffleBlockFetcherIterator", SHUFFLE},
      new String[] {"org.apache.spark.storage.DiskBlockObjectWriter", SHUFFLE},
      new String[] {"org.apache.spark.sql.execution.UnsafeRowSerializer", SHUFFLE},
      new String[] {"org.apache.spark.serializer.", SHUFFLE},
      new String[] {"org.apache.spark.network.", SHUFFLE});

  private final Map<String, String> pipeByClass;
  /** What each frame class means: a pipe's label, a rule's kind, or "" for nothing; filled as met. */
  private final Map<String, String> cache = new HashMap<>();

  /** @param pipeByClass the label of the pipe(s) each class name belongs to */
  StackClassifier(Map<String, String> pipeByClass) {
    this.pipeByClass = Map.copyOf(pipeByClass);
  }

  /** Parses {@link #format}'s text. */
  static StackClassifier parse(String spec) {
    Map<String, String> m = new HashMap<>();
    for (String line : spec.split("\n")) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        m.put(line.substring(0, tab), line.substring(tab + 1));
      }
    }
    return new StackClassifier(m);
  }

  /** The class-to-pipe map as text: one {@code class<TAB>label} line each (it travels as a local property). */
  static String format(Map<String, String> pipeByClass) {
    StringBuilder sb = new StringBuilder();
    pipeByClass.forEach((c, l) -> sb.append(c).append('\t').append(l.replace('\n', ' ').replace('\t', ' ')).append('\n'));
    return sb.toString();
  }

  /** What the thread was doing; {@code frames} innermost first, as {@link Thread#getStackTrace()} gives them. */
  String classify(StackTraceElement[] frames, Thread.State state) {
    for (StackTraceElement f : frames) {
      String pipe = pipeOf(f.getClassName());
      if (pipe != null) {
        return pipe;
      }
    }
    if (state != Thread.State.RUNNABLE) {
      return WAITING;
    }
    for (StackTraceElement f : frames) {
      String kind = kindOf(f.getClassName());
      if (kind != null) {
        return kind;
      }
    }
    return SPARK;
  }

  private String pipeOf(String cls) {
    String known = cache.get(cls);
    if (known == null) {
      known = lookUp(cls);
      cache.put(cls, known);
    }
    return known.startsWith("\u0000") || known.isEmpty() ? null : known;
  }

  /** The pipe label of a class, trying the class and then each enclosing class ({@code A$B$$Lambda/0x1} to {@code A$B}, {@code A}). */
  private String lookUp(String cls) {
    String label = pipeByClass.get(cls);
    for (int i = cls.lastIndexOf('$'); label == null && i > 0; i = cls.lastIndexOf('$', i - 1)) {
      label = pipeByClass.get(cls.substring(0, i));
    }
    if (label != null) {
      return label;
    }
    for (String[] rule : RULES) {
      if (cls.startsWith(rule[0])) {
        return "\u0000" + rule[1];
      }
    }
    return "";
  }

  private String kindOf(String cls) {
    String known = cache.get(cls);
    if (known == null) {
      pipeOf(cls);
      known = cache.get(cls);
    }
    return known.startsWith("\u0000") ? known.substring(1) : null;
  }
}
