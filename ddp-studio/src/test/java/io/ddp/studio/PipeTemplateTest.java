package io.ddp.studio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ddp.testing.SharedSpark;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipeTemplateTest {
  @TempDir
  Path project;

  private static PipeTemplate.Request request(String type, String params, String outputSchema) {
    JsonNode p = params == null ? null : Json.read(params);
    return new PipeTemplate.Request(type, List.of("Words", "stop-words"), "Top", p,
        Map.of("Words", "word STRING, n BIGINT, seen DATE, score DOUBLE, ok BOOLEAN", "stop-words", "word STRING"),
        outputSchema, "pipelines/words.json");
  }

  @Test
  void generatedPipeAndTestCompileAndTheTestRuns() throws Throwable {
    String params = "{\"column\": \"word\", \"limit\": 10, \"big\": 10000000000, \"ratio\": 0.5, \"lower\": true,"
        + " \"langs\": [\"en\", \"de\"], \"weights\": {\"a\": 1}, \"note\": \"say \\\"hi\\\" to C:\\\\users */ {@code x}\"}";
    List<PipeTemplate.File> files = PipeTemplate.generate(request("com.acme.pipes.TopWords", params,
        "word STRING, n BIGINT, seen DATE, score DOUBLE, ok BOOLEAN"));
    List<Path> written = PipeTemplate.write(project, files);
    assertThat(written).containsExactly(project.resolve("src/main/java/com/acme/pipes/TopWords.java"),
        project.resolve("src/test/java/com/acme/pipes/TopWordsTest.java"));
    String pipe = Files.readString(written.get(0));
    assertThat(pipe).contains("public record Params(String column, int limit, long big, double ratio, boolean lower,"
        + " java.util.List<String> langs, java.util.Map<String, Object> weights, String note) {}");
    assertThat(pipe).contains("Dataset<Row> words = inputs.get(\"Words\");").contains("Dataset<Row> stopwords = inputs.get(\"stop-words\");");

    Path classes = compile(written);
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> test = loader.loadClass("com.acme.pipes.TopWordsTest");
      Object instance = construct(test);
      SparkSession spark = SharedSpark.session();
      ClassLoader previous = Thread.currentThread().getContextClassLoader();
      Thread.currentThread().setContextClassLoader(loader); // the pipe is resolved by class name, as in a run
      try {
        // The pass-through of the first input meets the declared output schema: green.
        invoke(test, instance, "outputHasTheDeclaredSchema", spark);
        // The rows are the user's to write: red, with a message saying so.
        assertThatThrownBy(() -> invoke(test, instance, "producesTheExpectedRows", spark))
            .isInstanceOf(AssertionError.class).hasMessageContaining("write the expected rows");
      } finally {
        Thread.currentThread().setContextClassLoader(previous);
      }
    }
  }

  @Test
  void withoutParamsOrSchemasItStillCompiles() throws Exception {
    List<PipeTemplate.File> files = PipeTemplate.generate(new PipeTemplate.Request("org.example.Join", List.of("A", "B"), "C", null,
        Map.of(), null, null));
    Path classes = compile(PipeTemplate.write(project, files));
    assertThat(classes.resolve("org/example/Join$Params.class")).exists();
    assertThat(files.get(1).text()).doesNotContain("outputHasTheDeclaredSchema").contains("SELECT 1 AS id");
  }

  @Test
  void refusesWhatItCannotGenerateAndNeverOverwrites() throws Exception {
    assertThatThrownBy(() -> PipeTemplate.generate(request("TopWords", null, null)))
        .hasMessageContaining("give the class's full name, e.g. com.example.pipes.TopWords");
    assertThatThrownBy(() -> PipeTemplate.generate(request("com.acme.topWords", null, null)))
        .hasMessageContaining("starts with a capital letter (e.g. com.acme.TopWords)");
    assertThatThrownBy(() -> PipeTemplate.generate(request("com.acme.X", "{\"min-length\": 3}", null)))
        .hasMessageContaining("param \"min-length\" is not a Java identifier");
    assertThatThrownBy(() -> PipeTemplate.generate(new PipeTemplate.Request("com.acme.X", List.of(), "O", null, Map.of(), null, null)))
        .hasMessageContaining("has no inputs");

    List<PipeTemplate.File> files = PipeTemplate.generate(request("com.acme.X", null, null));
    Path existing = project.resolve(files.get(1).path());
    Files.createDirectories(existing.getParent());
    Files.writeString(existing, "// mine");
    assertThatThrownBy(() -> PipeTemplate.write(project, files)).hasMessageContaining("exists already");
    assertThat(Files.readString(existing)).isEqualTo("// mine");
    assertThat(project.resolve(files.get(0).path())).as("nothing written when one file exists").doesNotExist();

    assertThatThrownBy(() -> PipeTemplate.write(project, List.of(new PipeTemplate.File("../outside/X.java", "x"))))
        .hasMessageContaining("outside the project's source folder");
    assertThatThrownBy(() -> PipeTemplate.write(project, List.of(new PipeTemplate.File("pom.xml", "x"))))
        .hasMessageContaining("outside the project's source folder");
  }

  private Path compile(List<Path> sources) throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Path out = Files.createDirectories(project.resolve("target/classes"));
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<String> options = new ArrayList<>(List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"),
          "-proc:none", "-Xlint:none"));
      boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
      List<String> errors = diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
          .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT)).toList();
      assertThat(errors).as("compile errors").isEmpty();
      assertThat(ok).isTrue();
    }
    return out;
  }

  private static Object construct(Class<?> c) throws Exception {
    var ctor = c.getDeclaredConstructor();
    ctor.setAccessible(true);
    return ctor.newInstance();
  }

  private static void invoke(Class<?> c, Object instance, String name, SparkSession spark) throws Throwable {
    Method m = c.getDeclaredMethod(name, SparkSession.class);
    m.setAccessible(true);
    try {
      m.invoke(instance, spark);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
