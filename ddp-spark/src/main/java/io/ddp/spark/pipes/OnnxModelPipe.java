package io.ddp.spark.pipes;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.pipe.ParamProblem;
import io.ddp.core.pipe.PipeInputs;
import io.ddp.core.pipe.Scopes;
import io.ddp.core.text.Messages;
import io.ddp.ml.onnx.ModelFiles;
import io.ddp.ml.onnx.OnnxModel;
import io.ddp.ml.onnx.OnnxSpec;
import io.ddp.spark.SparkPipe;
import io.ddp.spark.SparkPipeContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code OnnxModel} pipe: runs an ONNX model on every row, in batches inside {@code mapPartitions},
 * with one ONNX Runtime session per executor JVM (instance scope) shared by the task threads. The
 * output is the input plus one column per declared model output ({@code ARRAY<FLOAT>} for vectors,
 * {@code FLOAT} for scalars). See {@link OnnxSpec} for the params and docs/ml.md.
 */
public final class OnnxModelPipe implements SparkPipe<OnnxSpec> {
  /**
   * Loads the model (local and class-path models; remote ones are fetched only when the run starts)
   * and compares its real input and output names with the declared ones.
   */
  @Override
  public List<ParamProblem> check(OnnxSpec spec) {
    if (ModelFiles.remote(spec.model()) || (spec.tokenizer() != null && ModelFiles.remote(spec.tokenizer()))) {
      return List.of();
    }
    try (OnnxModel model = OnnxModel.load(spec)) {
      return model.mismatches().stream()
          .map(m -> new ParamProblem("", m + "; map every model input and name outputs it has"))
          .toList();
    } catch (Exception e) {
      return List.of(new ParamProblem("model", "cannot load the model: " + Messages.firstLine(e.getMessage())));
    }
  }

  /** The text column, when the model reads text through its tokenizer. */
  @Override
  public List<String> requiredColumns(OnnxSpec spec) {
    return spec.textColumn() == null ? List.of() : List.of("`" + spec.textColumn().replace("`", "``") + "` STRING");
  }

  /** The input's columns, then one {@code ARRAY<FLOAT>} column per declared model output. */
  @Override
  public java.util.Optional<StructType> outputSchema(Map<String, StructType> inputs, OnnxSpec spec,
      org.apache.spark.sql.SparkSession spark) {
    return java.util.Optional.of(withOutputs(inputs.values().iterator().next(), spec));
  }

  private static StructType withOutputs(StructType schema, OnnxSpec spec) {
    StructType out = schema;
    for (OnnxSpec.Output o : spec.outputs().values()) {
      // Every output is an ARRAY<FLOAT>: a vector, or a one-element array for a scalar output.
      out = out.add(new StructField(o.column(), DataTypes.createArrayType(DataTypes.FloatType), true,
          org.apache.spark.sql.types.Metadata.empty()));
    }
    return out;
  }

  @Override
  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, OnnxSpec spec, SparkPipeContext ctx) {
    Dataset<Row> in = inputs.only();
    for (String location : new String[] {spec.model(), spec.tokenizer()}) {
      if (location != null && ModelFiles.remote(location)) {
        ctx.spark().sparkContext().addFile(location);
      }
    }
    Scopes.Scoped<OnnxModel> model = ctx.scopes().instance(spec.instanceKey(), () -> OnnxModel.load(spec, OnnxModelPipe::localFile));
    StructType schema = in.schema();
    if (spec.textColumn() != null && !List.of(schema.fieldNames()).contains(spec.textColumn())) {
      throw new DdpException("\"textColumn\" '" + spec.textColumn() + "' is not an input column; columns: " + List.of(schema.fieldNames()));
    }
    StructType out = withOutputs(schema, spec);
    int textIndex = spec.textColumn() == null ? -1 : schema.fieldIndex(spec.textColumn());
    Map<String, Integer> numeric = new LinkedHashMap<>();
    spec.inputs().forEach((name, source) -> {
      if (!source.startsWith("tokenizer:")) {
        numeric.put(name, schema.fieldIndex(source));
      }
    });
    int batchSize = spec.batchSize();
    List<String> columns = spec.outputs().values().stream().map(OnnxSpec.Output::column).toList();
    MapPartitionsFunction<Row, Row> score = new Scorer(model, spec, textIndex, numeric, batchSize, columns);
    return in.mapPartitions(score, Encoders.row(out));
  }

  /** A model location on this JVM: remote files come from Spark's file distribution, where {@link #apply} added them. */
  static java.nio.file.Path localFile(String location) {
    if (ModelFiles.remote(location)) {
      return java.nio.file.Path.of(org.apache.spark.SparkFiles.get(location.substring(location.lastIndexOf('/') + 1)));
    }
    return ModelFiles.local(location);
  }

  /** Scores one partition in batches; static so that only its fields travel to executors. */
  private static final class Scorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final Scopes.Scoped<OnnxModel> model;
    private final OnnxSpec spec;
    private final int textIndex;
    private final Map<String, Integer> numeric;
    private final int batchSize;
    private final List<String> columns;

    Scorer(Scopes.Scoped<OnnxModel> model, OnnxSpec spec, int textIndex, Map<String, Integer> numeric, int batchSize,
        List<String> columns) {
      this.model = model;
      this.spec = spec;
      this.textIndex = textIndex;
      this.numeric = new LinkedHashMap<>(numeric);
      this.batchSize = batchSize;
      this.columns = new ArrayList<>(columns);
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      return new Iterator<>() {
        private Iterator<Row> current = java.util.Collections.emptyIterator();

        @Override
        public boolean hasNext() {
          if (!current.hasNext() && rows.hasNext()) {
            current = batch(rows);
          }
          return current.hasNext();
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          return current.next();
        }
      };
    }

    private Iterator<Row> batch(Iterator<Row> source) {
      List<Row> batch = new ArrayList<>(batchSize);
      while (source.hasNext() && batch.size() < batchSize) {
        batch.add(source.next());
      }
      List<String> texts = null;
      if (textIndex >= 0) {
        texts = new ArrayList<>(batch.size());
        for (Row r : batch) {
          texts.add(r.isNullAt(textIndex) ? "" : r.getString(textIndex));
        }
      }
      Map<String, List<float[]>> values = new LinkedHashMap<>();
      for (Map.Entry<String, Integer> e : numeric.entrySet()) {
        List<float[]> list = new ArrayList<>(batch.size());
        for (Row r : batch) {
          list.add(floats(r.get(e.getValue())));
        }
        values.put(e.getKey(), list);
      }
      Map<String, List<Object>> results = model.get().infer(spec, texts, values);
      List<Row> outRows = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        Row r = batch.get(i);
        Object[] cells = new Object[r.length() + columns.size()];
        for (int c = 0; c < r.length(); c++) {
          cells[c] = r.get(c);
        }
        for (int k = 0; k < columns.size(); k++) {
          Object v = results.get(columns.get(k)).get(i);
          cells[r.length() + k] = v instanceof float[] ? boxed((float[]) v) : new Float[] {(Float) v};
        }
        outRows.add(RowFactory.create(cells));
      }
      return outRows.iterator();
    }
  }

  private static Float[] boxed(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  private static float[] floats(Object value) {
    if (value instanceof Number) {
      return new float[] {((Number) value).floatValue()};
    }
    if (value instanceof scala.collection.Seq) {
      List<?> list = scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) value);
      float[] out = new float[list.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = ((Number) list.get(i)).floatValue();
      }
      return out;
    }
    throw new DdpException("ONNX input columns must be numbers or arrays of numbers, not " + (value == null ? "null" : value.getClass().getSimpleName()));
  }
}
