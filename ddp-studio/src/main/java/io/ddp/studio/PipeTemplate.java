package io.ddp.studio;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.lang.model.SourceVersion;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Template code for a pipe whose {@code transformerType} names a class that does not exist yet: the
 * pipe (a {@code Params} record from the declared params, its inputs by dataId, the declared output
 * schema as its contract) and its unit test on DDP's SparkSession fixture, laid out as in a project
 * made by {@code ddp new} ({@code src/main/java}, {@code src/test/java}). The code compiles; the
 * test stays red until the pipe's logic and the expected rows are written.
 */
final class PipeTemplate {
  /** A pipe declaration to generate for. */
  record Request(String transformerType, List<String> inputs, String output, JsonNode params,
      Map<String, String> inputSchemas, String outputSchema, String pipeline) {}

  /** A file to write, relative to the project directory. */
  record File(String path, String text) {}

  private PipeTemplate() {}

  static List<File> generate(Request r) {
    String type = r.transformerType() == null ? "" : r.transformerType().trim();
    int dot = type.lastIndexOf('.');
    if (dot <= 0 || !SourceVersion.isName(type)) {
      throw new IllegalArgumentException("Cannot generate a pipe for transformerType '" + type + "': give the class's full name,"
          + " e.g. com.example.pipes." + (type.isEmpty() || !SourceVersion.isIdentifier(type) ? "MyPipe" : type));
    }
    String pkg = type.substring(0, dot);
    String name = type.substring(dot + 1);
    if (!Character.isUpperCase(name.codePointAt(0))) {
      throw new IllegalArgumentException("Cannot generate '" + type + "': a class name starts with a capital letter (e.g. "
          + pkg + "." + Character.toUpperCase(name.charAt(0)) + name.substring(1) + ")");
    }
    if (r.inputs().isEmpty()) {
      throw new IllegalArgumentException("Cannot generate '" + type + "': the pipe has no inputs; connect at least one dataset");
    }
    List<String[]> fields = paramFields(type, r.params());
    String dir = pkg.replace('.', '/');
    return List.of(new File("src/main/java/" + dir + "/" + name + ".java", pipe(pkg, name, fields, r)),
        new File("src/test/java/" + dir + "/" + name + "Test.java", test(pkg, name, r)));
  }

  /** Writes the files under {@code project}, never over an existing file. */
  static List<Path> write(Path project, List<File> files) throws IOException {
    Path root = project.toAbsolutePath().normalize();
    for (File f : files) {
      Path p = root.resolve(f.path()).normalize();
      if (!p.startsWith(root.resolve("src"))) {
        throw new IllegalArgumentException("Refused: " + f.path() + " is outside the project's source folder " + root.resolve("src"));
      }
      if (Files.exists(p)) {
        throw new IllegalArgumentException(root.relativize(p) + " exists already: DDP Studio does not overwrite code;"
            + " delete it or pick another class name");
      }
    }
    List<Path> written = new ArrayList<>();
    for (File f : files) {
      Path p = root.resolve(f.path()).normalize();
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.text(), StandardCharsets.UTF_8);
      written.add(p);
    }
    return written;
  }

  /** {name, javaType, example} for each declared param, in the declared order. */
  private static List<String[]> paramFields(String type, JsonNode params) {
    List<String[]> out = new ArrayList<>();
    if (params == null || params.isNull() || params.isMissingNode()) {
      return out;
    }
    if (!params.isObject()) {
      throw new IllegalArgumentException("Cannot generate '" + type + "': its params must be a JSON object");
    }
    Iterator<Map.Entry<String, JsonNode>> it = params.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (!SourceVersion.isIdentifier(key) || SourceVersion.isKeyword(key)) {
        throw new IllegalArgumentException("Cannot generate '" + type + "': param \"" + key + "\" is not a Java identifier;"
            + " name params like Java fields (letters, digits, _; e.g. \"minLength\")");
      }
      out.add(new String[] {key, javaType(e.getValue())});
    }
    return out;
  }

  static String javaType(JsonNode v) {
    if (v == null || v.isNull()) {
      return "String";
    }
    if (v.isTextual()) {
      return "String";
    }
    if (v.isBoolean()) {
      return "boolean";
    }
    if (v.isIntegralNumber()) {
      return v.canConvertToInt() ? "int" : "long";
    }
    if (v.isNumber()) {
      return "double";
    }
    if (v.isArray()) {
      String element = null;
      for (JsonNode x : v) {
        String t = boxed(javaType(x));
        element = element == null || element.equals(t) ? t : "Object";
      }
      return "java.util.List<" + (element == null ? "String" : element) + ">";
    }
    return "java.util.Map<String, Object>";
  }

  private static String boxed(String t) {
    return switch (t) {
      case "int" -> "Integer";
      case "long" -> "Long";
      case "double" -> "Double";
      case "boolean" -> "Boolean";
      default -> t.startsWith("java.util.") ? "Object" : t;
    };
  }

  private static String pipe(String pkg, String name, List<String[]> fields, Request r) {
    StringBuilder b = new StringBuilder();
    b.append("package ").append(pkg).append(";\n\n");
    b.append("import io.ddp.core.pipe.PipeInputs;\n");
    b.append("import io.ddp.spark.SparkPipe;\n");
    b.append("import io.ddp.spark.SparkPipeContext;\n");
    b.append("import org.apache.spark.sql.Dataset;\n");
    b.append("import org.apache.spark.sql.Row;\n\n");
    b.append("/**\n");
    b.append(" * TODO: say what ").append(name).append(" does.\n");
    b.append(" *\n");
    b.append(" * <p>Generated by DDP Studio").append(r.pipeline() == null ? "" : " from " + javadoc(r.pipeline())).append(".\n");
    b.append(" * Inputs: ");
    for (int i = 0; i < r.inputs().size(); i++) {
      String id = r.inputs().get(i);
      String schema = r.inputSchemas().get(id);
      b.append(i == 0 ? "" : "; ").append("{@code ").append(javadoc(id)).append("}");
      if (schema != null) {
        b.append(" ({@code ").append(javadoc(schema)).append("})");
      }
    }
    b.append(".\n * Output: {@code ").append(javadoc(r.output())).append("}");
    if (r.outputSchema() != null) {
      b.append(", declared as {@code ").append(javadoc(r.outputSchema())).append("} (the contract 'ddp validate' and runs check)");
    }
    b.append(".\n */\n");
    b.append("public final class ").append(name).append(" implements SparkPipe<").append(name).append(".Params> {\n");
    b.append("  /** The pipe's \"params\" in the pipeline file; a missing or unknown field is reported by 'ddp validate'. */\n");
    b.append("  public record Params(");
    for (int i = 0; i < fields.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(fields.get(i)[1]).append(' ').append(fields.get(i)[0]);
    }
    b.append(") {}\n\n");
    b.append("  @Override\n");
    b.append("  public Dataset<Row> apply(PipeInputs<Dataset<Row>> inputs, Params params, SparkPipeContext ctx) {\n");
    List<String> vars = new ArrayList<>();
    for (String id : r.inputs()) {
      String v = variable(id, vars);
      vars.add(v);
      b.append("    Dataset<Row> ").append(v).append(" = inputs.get(").append(javaString(id)).append(");\n");
    }
    b.append("    // TODO: the logic. Until it is written, the first input passes through unchanged.\n");
    b.append("    return ").append(vars.get(0)).append(";\n");
    b.append("  }\n");
    b.append("}\n");
    return b.toString();
  }

  private static String test(String pkg, String name, Request r) {
    StringBuilder b = new StringBuilder();
    b.append("package ").append(pkg).append(";\n\n");
    b.append("import static org.junit.jupiter.api.Assertions.fail;\n\n");
    b.append("import io.ddp.spark.testing.PipeTester;\n");
    b.append("import io.ddp.testing.DataFrameAssertions;\n");
    b.append("import io.ddp.testing.SparkSessionExtension;\n");
    b.append("import java.util.LinkedHashMap;\n");
    b.append("import java.util.List;\n");
    b.append("import java.util.Map;\n");
    b.append("import org.apache.spark.sql.Dataset;\n");
    b.append("import org.apache.spark.sql.Row;\n");
    b.append("import org.apache.spark.sql.RowFactory;\n");
    b.append("import org.apache.spark.sql.SparkSession;\n");
    b.append("import org.apache.spark.sql.types.StructType;\n");
    b.append("import org.junit.jupiter.api.Test;\n");
    b.append("import org.junit.jupiter.api.extension.ExtendWith;\n\n");
    b.append("@ExtendWith(SparkSessionExtension.class)\n");
    b.append("class ").append(name).append("Test {\n");
    b.append("  /** The params as declared in the pipeline, bound as a run binds them. */\n");
    b.append("  static final String PARAMS = ").append(javaString(r.params() == null || r.params().isNull() ? "{}" : r.params().toString()))
        .append(";\n\n");
    b.append("  static Map<String, Dataset<Row>> inputs(SparkSession spark) {\n");
    b.append("    Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();\n");
    for (String id : r.inputs()) {
      String schema = r.inputSchemas().get(id);
      if (schema == null) {
        b.append("    // TODO: ").append(id).append(" declares no schema: write its rows\n");
        b.append("    inputs.put(").append(javaString(id)).append(", spark.sql(\"SELECT 1 AS id\"));\n");
      } else {
        b.append("    inputs.put(").append(javaString(id)).append(", spark.createDataFrame(List.of(").append(sampleRow(schema))
            .append("), StructType.fromDDL(").append(javaString(schema)).append(")));\n");
      }
    }
    b.append("    return inputs;\n");
    b.append("  }\n\n");
    if (r.outputSchema() != null) {
      b.append("  @Test\n");
      b.append("  void outputHasTheDeclaredSchema(SparkSession spark) {\n");
      b.append("    Dataset<Row> out = PipeTester.of(spark).run(").append(javaString(r.transformerType())).append(", PARAMS, inputs(spark));\n");
      b.append("    DataFrameAssertions.assertSchema(out, ").append(javaString(r.outputSchema())).append(");\n");
      b.append("  }\n\n");
    }
    b.append("  @Test\n");
    b.append("  void producesTheExpectedRows(SparkSession spark) {\n");
    b.append("    Dataset<Row> out = PipeTester.of(spark).run(").append(javaString(r.transformerType())).append(", PARAMS, inputs(spark));\n");
    b.append("    List<Row> expected = List.of(/* TODO: the rows ").append(name).append(" should make of the inputs above */);\n");
    b.append("    if (expected.isEmpty()) {\n");
    b.append("      fail(\"").append(name).append("Test: write the expected rows (the pipe's logic is still a pass-through)\");\n");
    b.append("    }\n");
    b.append("    DataFrameAssertions.assertRows(out, expected);\n");
    b.append("  }\n");
    b.append("}\n");
    return b.toString();
  }

  /** One row of sample values for the columns of a DDL schema (null where no simple sample exists). */
  static String sampleRow(String ddl) {
    StructType schema;
    try {
      schema = StructType.fromDDL(ddl);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Cannot generate a test input: schema '" + ddl + "' is not valid DDL: " + e.getMessage());
    }
    List<String> values = new ArrayList<>();
    for (StructField f : schema.fields()) {
      values.add(sample(f.dataType(), f.name()));
    }
    return "RowFactory.create(" + String.join(", ", values) + ")";
  }

  private static String sample(DataType t, String column) {
    if (t.equals(DataTypes.StringType)) {
      return javaString("sample " + column);
    }
    if (t.equals(DataTypes.IntegerType)) {
      return "1";
    }
    if (t.equals(DataTypes.LongType)) {
      return "1L";
    }
    if (t.equals(DataTypes.ShortType)) {
      return "(short) 1";
    }
    if (t.equals(DataTypes.ByteType)) {
      return "(byte) 1";
    }
    if (t.equals(DataTypes.DoubleType)) {
      return "1.0";
    }
    if (t.equals(DataTypes.FloatType)) {
      return "1.0f";
    }
    if (t.equals(DataTypes.BooleanType)) {
      return "true";
    }
    if (t.equals(DataTypes.DateType)) {
      return "java.sql.Date.valueOf(\"2026-01-01\")";
    }
    if (t.equals(DataTypes.TimestampType)) {
      return "java.sql.Timestamp.valueOf(\"2026-01-01 00:00:00\")";
    }
    if (t instanceof org.apache.spark.sql.types.DecimalType) {
      return "new java.math.BigDecimal(\"1\")";
    }
    return "null";
  }

  private static String variable(String dataId, List<String> taken) {
    StringBuilder v = new StringBuilder();
    for (char c : dataId.toCharArray()) {
      if (Character.isLetterOrDigit(c) || c == '_') {
        v.append(v.length() == 0 ? Character.toLowerCase(c) : c);
      }
    }
    String base = v.length() == 0 || !Character.isJavaIdentifierStart(v.charAt(0)) ? "input" + v : v.toString();
    if (SourceVersion.isKeyword(base) || base.equals("inputs") || base.equals("params") || base.equals("ctx")) {
      base = base + "Rows";
    }
    String out = base;
    for (int i = 2; taken.contains(out); i++) {
      out = base + i;
    }
    return out;
  }

  /** A Java string literal. */
  static String javaString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** Text safe inside a Javadoc comment and {@code {@code ...}}. */
  private static String javadoc(String s) {
    return s.replace("*/", "*&#47;").replace("@", "&#64;").replace("{", "&#123;").replace("}", "&#125;")
        .replace("\\u", "\\\\u");
  }

  static Map<String, String> schemasOf(JsonNode pipeline) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode d : pipeline.path("data")) {
      if (d.path("dataId").isTextual() && d.path("schema").isTextual()) {
        out.put(d.path("dataId").asText(), d.path("schema").asText());
      }
    }
    return out;
  }
}
