package com.example.clusterpipes;

import io.ddp.core.pipe.Param;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.core.pipe.PipeMetrics;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A user's pipe, shipped in its own jar with {@code --jars} (ClusterIT builds the jar from these
 * classes): appends a {@code tag} column on the executors, counts the rows it tagged with a code
 * counter, and can take its time per row so that a test can act while its output is being written.
 */
public final class TagRows implements SparkPipe<TagRows.Params> {
  public record Params(@Param("the value of the new tag column") String tag,
      @Param(value = "milliseconds to spend on each row", defaultValue = "0") Integer millisPerRow) {
    public Params {
      millisPerRow = millisPerRow == null ? 0 : millisPerRow;
    }
  }

  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, Params params, SparkPipeContext ctx) {
    Dataset<Row> in = inputs.only();
    StructType out = in.schema().add("tag", DataTypes.StringType);
    return in.mapPartitions(new Tagger(params.tag(), params.millisPerRow(), ctx.metrics().counter("taggedRows")), Encoders.row(out));
  }

  /** Runs on the executors: a class of the user's jar that they must load. */
  static final class Tagger implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final String tag;
    private final int millisPerRow;
    private final PipeMetrics.Counter tagged;

    Tagger(String tag, int millisPerRow, PipeMetrics.Counter tagged) {
      this.tag = tag;
      this.millisPerRow = millisPerRow;
      this.tagged = tagged;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws Exception {
      List<Row> out = new ArrayList<>();
      while (rows.hasNext()) {
        Row r = rows.next();
        if (millisPerRow > 0) {
          Thread.sleep(millisPerRow);
        }
        Object[] cells = new Object[r.length() + 1];
        for (int i = 0; i < r.length(); i++) {
          cells[i] = r.get(i);
        }
        cells[r.length()] = tag;
        out.add(RowFactory.create(cells));
        tagged.add(1);
      }
      return out.iterator();
    }
  }
}
