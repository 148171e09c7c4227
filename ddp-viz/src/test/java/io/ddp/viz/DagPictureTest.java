package io.ddp.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.EncryptionDeclare;
import io.ddp.core.model.PipelineDeclare;
import io.ddp.core.model.TransformerDeclare;
import io.ddp.core.plan.ExecutionPlan;
import io.ddp.core.plan.Planner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DagPictureTest {
  @TempDir
  Path dir;

  static ExecutionPlan quickstart() {
    return Planner.plan(new PipelineDeclare("quickstart", Map.of(), Map.of(), List.of(
        DataDeclare.builder("InputData").location("data/reviews.csv").format("csv").build(),
        DataDeclare.builder("IntermediateData").build(),
        DataDeclare.builder("FeatureData").build(),
        DataDeclare.builder("PredictionData").build(),
        DataDeclare.builder("OutputData").location("out/scored").format("csv").encryption(EncryptionDeclare.sse("AES256", null)).build()),
        List.of(new TransformerDeclare(List.of("InputData"), "PreprocessTransformer", "IntermediateData"),
            new TransformerDeclare(List.of("InputData"), "FeatureGenerationTransformer", "FeatureData"),
            new TransformerDeclare(List.of("IntermediateData", "FeatureData"), "ModelPredictionTransformer", "PredictionData"),
            new TransformerDeclare(List.of("InputData", "PredictionData"), "PostProcessTransformer", "OutputData")),
        List.of()));
  }

  /** node id -> label, from the DOT text. */
  static Map<String, String> nodes(String dot) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    Matcher m = Pattern.compile("^\\s*([dp][0-9]+) \\[.*label=\"((?:[^\"\\\\]|\\\\.)*)\"\\];$", Pattern.MULTILINE).matcher(dot);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  static List<String> edges(String dot, Map<String, String> nodes) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("^\\s*([dp][0-9]+) -> ([dp][0-9]+);$", Pattern.MULTILINE).matcher(dot);
    while (m.find()) {
      out.add(first(nodes.get(m.group(1))) + " -> " + first(nodes.get(m.group(2))));
    }
    return out;
  }

  private static String first(String label) {
    return label.split("\\\\n")[0];
  }

  @Test
  void theQuickstartHasEveryDatasetPipeAndEdge() {
    String dot = DagPicture.dot(quickstart(), RunView.EMPTY);
    Map<String, String> nodes = nodes(dot);
    assertThat(nodes.values()).extracting(DagPictureTest::first).containsExactlyInAnyOrder(
        "InputData", "IntermediateData", "FeatureData", "PredictionData", "OutputData",
        "#1 PreprocessTransformer", "#2 FeatureGenerationTransformer", "#3 ModelPredictionTransformer", "#4 PostProcessTransformer");
    assertThat(edges(dot, nodes)).containsExactlyInAnyOrder(
        "InputData -> #1 PreprocessTransformer", "#1 PreprocessTransformer -> IntermediateData",
        "InputData -> #2 FeatureGenerationTransformer", "#2 FeatureGenerationTransformer -> FeatureData",
        "IntermediateData -> #3 ModelPredictionTransformer", "FeatureData -> #3 ModelPredictionTransformer",
        "#3 ModelPredictionTransformer -> PredictionData",
        "InputData -> #4 PostProcessTransformer", "PredictionData -> #4 PostProcessTransformer",
        "#4 PostProcessTransformer -> OutputData");
    assertThat(nodes).containsValue("InputData\\nsource · csv\\ndata/reviews.csv")
        .containsValue("IntermediateData\\nintermediate")
        .containsValue("OutputData\\nsink · csv · encrypted (sse)\\nout/scored")
        .containsValue("#3 ModelPredictionTransformer\\nstage 2");
    assertThat(dot).contains("subgraph cluster_stage_1 {").contains("subgraph cluster_stage_3 {")
        .containsPattern("cluster_stage_1 \\{\\n[^}]*p1 \\[[^}]*p2 \\[").containsPattern("cluster_stage_2 \\{\\n[^}]*p3 \\[");
  }

  @Test
  void eachStateLooksDifferentAndAFailureShowsItsFirstLine() {
    RunView view = new RunView(Map.of(
        1, new PipeView(PipeView.State.SUCCEEDED, 1.25, 320, null),
        2, new PipeView(PipeView.State.RUNNING, 3, -1, null),
        3, new PipeView(PipeView.State.FAILED, 0.5, -1, "IllegalStateException: model file is corrupt"),
        4, new PipeView(PipeView.State.SKIPPED, -1, -1, null)), Map.of("OutputData", List.of("scoredReviews = 320")));
    String dot = DagPicture.dot(quickstart(), view);
    Map<String, String> nodes = nodes(dot);
    assertThat(nodes.get("p1")).isEqualTo("#1 PreprocessTransformer\\nstage 1 · succeeded\\n320 rows · 1.3 s");
    assertThat(nodes.get("p2")).isEqualTo("#2 FeatureGenerationTransformer\\nstage 1 · running\\n3.0 s");
    assertThat(nodes.get("p3")).isEqualTo("#3 ModelPredictionTransformer\\nstage 2 · failed\\n0.5 s\\nIllegalStateException: model file is corrupt");
    assertThat(nodes.get("p4")).isEqualTo("#4 PostProcessTransformer\\nstage 3 · skipped");
    assertThat(nodes.get("d4")).endsWith("\\nscoredReviews = 320");
    assertThat(dot).contains("quickstart\\n1 running, 1 succeeded, 1 failed, 1 skipped");
    List<String> styles = new ArrayList<>();
    for (PipeView.State s : PipeView.State.values()) {
      styles.add(DagPicture.pipeStyle(s));
    }
    assertThat(new TreeSet<>(styles)).as("every state has its own look").hasSize(PipeView.State.values().length);
  }

  @Test
  void labelsAreEscapedSoNothingBreaksTheDotOrTheSvg() throws Exception {
    ExecutionPlan plan = Planner.plan(new PipelineDeclare("evil \"name\"", Map.of(), Map.of(), List.of(
        DataDeclare.builder("In").location("s3a://b/\"quoted\" <script>alert(1)</script> C:\\dir\\").format("csv").build(),
        DataDeclare.builder("Out").build()),
        List.of(new TransformerDeclare("a \"name\" with <tags> & \\ backslash", List.of("In"), "com.example.Pipe", "Out", null)),
        List.of()));
    RunView view = new RunView(Map.of(1, new PipeView(PipeView.State.FAILED, 1, -1, "bad \"value\" <x> at line\nsecond line")), Map.of());
    String dot = DagPicture.dot(plan, view);
    org.junit.jupiter.api.Assumptions.assumeTrue(PictureRenderer.dotAvailable(), "Graphviz dot is needed: apt-get install graphviz");
    assertThat(dot).contains("\\\"quoted\\\" <script>").contains("C:\\\\dir\\\\").doesNotContain("second line");
    Path svg = dir.resolve("evil.svg");
    PictureRenderer.render(dot, svg);
    String text = Files.readString(svg);
    DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
    assertThat(text).contains("&lt;script&gt;").doesNotContain("<script>").contains("&quot;quoted&quot;").contains("&lt;tags&gt; &amp;");
  }

  @Test
  void svgPngAndDotAreWrittenAndAMissingDotSaysHowToInstallIt() throws Exception {
    String dot = DagPicture.dot(quickstart(), RunView.EMPTY);
    org.junit.jupiter.api.Assumptions.assumeTrue(PictureRenderer.dotAvailable(), "Graphviz dot is needed: apt-get install graphviz");
    PictureRenderer.render(dot, dir.resolve("q.svg"));
    PictureRenderer.render(dot, dir.resolve("q.png"));
    PictureRenderer.render(dot, dir.resolve("q.dot"));
    assertThat(Files.readString(dir.resolve("q.svg"))).contains("<svg").contains("PostProcessTransformer");
    byte[] png = Files.readAllBytes(dir.resolve("q.png"));
    assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    assertThat(Files.readString(dir.resolve("q.dot"))).isEqualTo(dot);
    assertThat(dir.toFile().list()).noneMatch(n -> n.endsWith(".tmp"));
    try {
      PictureRenderer.useDotCommand("dot-is-not-installed-here");
      assertThatThrownBy(() -> PictureRenderer.render(dot, dir.resolve("x.svg")))
          .hasMessageContaining("Cannot render svg: the Graphviz 'dot' command is not installed")
          .hasMessageContaining("apt-get install graphviz");
      PictureRenderer.render(dot, dir.resolve("still.dot"));
      assertThat(dir.resolve("still.dot")).exists();
    } finally {
      PictureRenderer.useDotCommand("dot");
    }
    assertThatThrownBy(() -> PictureRenderer.render(dot, dir.resolve("q.jpg"))).hasMessageContaining("use a .svg, .png or .dot file");
  }

  @Test
  void fiveHundredPipesRenderGroupedByStage() throws Exception {
    List<DataDeclare> data = new ArrayList<>();
    List<TransformerDeclare> pipes = new ArrayList<>();
    data.add(DataDeclare.builder("Src").location("in.parquet").format("parquet").build());
    for (int i = 1; i <= 500; i++) {
      String in = i <= 20 ? "Src" : "D" + (i - 20);
      data.add(i > 480 ? DataDeclare.builder("D" + i).location("out/d" + i).format("parquet").build() : DataDeclare.builder("D" + i).build());
      pipes.add(new TransformerDeclare(List.of(in), "Step", "D" + i));
    }
    ExecutionPlan plan = Planner.plan(new PipelineDeclare("big", Map.of(), Map.of(), data, pipes, List.of()));
    org.junit.jupiter.api.Assumptions.assumeTrue(PictureRenderer.dotAvailable(), "Graphviz dot is needed: apt-get install graphviz");
    long t0 = System.nanoTime();
    PictureRenderer.render(DagPicture.dot(plan, RunView.EMPTY), dir.resolve("big.svg"));
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("500 pipes in %d stages rendered to SVG in %.1f s%n", plan.stages().size(), seconds);
    assertThat(Files.readString(dir.resolve("big.svg"))).contains("stage 25").contains("#500 Step");
  }
}
