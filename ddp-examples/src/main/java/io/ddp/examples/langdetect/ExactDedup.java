package io.ddp.examples.langdetect;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.sha2;

import io.ddp.core.pipe.NoParams;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Marks exact duplicates: documents whose normalised text has the same SHA-256 as a document with a
 * smaller url. Output: the input plus {@code content_hash} and {@code exact_duplicate_of} (null for the
 * kept document). Keeping every row lets metrics measure the duplicate rate; the next pipe filters.
 */
public final class ExactDedup implements SparkPipe<NoParams> {
  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, NoParams params, SparkPipeContext ctx) {
    WindowSpec byHash = Window.partitionBy("content_hash").orderBy("url");
    Dataset<Row> hashed = inputs.only().withColumn("content_hash", sha2(col("clean"), 256));
    Dataset<Row> marked = hashed.withColumn("keeper", first(col("url")).over(byHash));
    return marked.withColumn("exact_duplicate_of",
        org.apache.spark.sql.functions.when(col("keeper").notEqual(col("url")), col("keeper"))).drop("keeper");
  }
}
