package io.ddp.studio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PipelineTextTest {
  static final String FILE = """
      {
        "name": "demo",
        "variables": {"in": "data/in.csv", "limit": "10"},
        "data": [
          {"dataId": "In", "location": "${in}", "format": "csv", "x-owner": "team-a"},
          {"dataId": "Mid"},
          {"dataId": "Out", "location": "${out}/o", "format": "parquet", "mode": "overwrite"}
        ],
        "transformers": [
          {"name": "a", "inputDataId": ["In"], "transformerType": "sql", "outputDataId": "Mid", "params": {"query": "SELECT * FROM In LIMIT ${limit}"}},
          {"name": "b", "inputDataId": ["Mid"], "transformerType": "sql", "outputDataId": "Out",   "params": {"query": "SELECT 1.50 AS x"}}
        ],
        "x-team": {"pager": 1e3}
      }
      """;

  private static List<String> diff(String a, String b) {
    List<String> la = a.lines().toList();
    List<String> lb = b.lines().toList();
    List<String> out = new ArrayList<>();
    lb.stream().filter(l -> !la.contains(l)).forEach(l -> out.add("+" + l));
    la.stream().filter(l -> !lb.contains(l)).forEach(l -> out.add("-" + l));
    return out;
  }

  @Test
  void nothingEditedIsTheFileByteForByte() throws Exception {
    PipelineText t = PipelineText.of(FILE);
    assertThat(t.write(t.root())).isEqualTo(FILE);
    try (Stream<Path> files = Files.list(Path.of("../pipelines"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        String text = Files.readString(f);
        PipelineText p = PipelineText.of(text);
        assertThat(p.write(p.root())).as(f.toString()).isEqualTo(text);
      }
    }
  }

  @Test
  void anEditedPipeChangesItsOwnLineOnly() {
    PipelineText t = PipelineText.of(FILE);
    ObjectNode edited = t.root();
    ((ObjectNode) edited.get("transformers").get(1).get("params")).put("query", "SELECT 2 AS x");
    String out = t.write(edited);
    assertThat(diff(FILE, out)).containsExactly(
        "+    {\"name\": \"b\", \"inputDataId\": [\"Mid\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\",   \"params\": {\"query\": \"SELECT 2 AS x\"}}",
        "-    {\"name\": \"b\", \"inputDataId\": [\"Mid\"], \"transformerType\": \"sql\", \"outputDataId\": \"Out\",   \"params\": {\"query\": \"SELECT 1.50 AS x\"}}");
    // Variables, keys the studio does not know and number spellings elsewhere are kept as written.
    assertThat(out).contains("\"location\": \"${in}\"").contains("\"x-owner\": \"team-a\"").contains("{\"pager\": 1e3}")
        .contains("LIMIT ${limit}");
    assertThat(Json.read(out)).isEqualTo(edited);
  }

  @Test
  void anEditedEntryKeepsItsLayoutAndOnlyItsChangedValuesChange() {
    String file = """
        {
          "transformers": [
            {"name": "big", "inputDataId": ["Words",  "More"], "transformerType": "sql", "outputDataId": "Big",
             "params": {"query": "SELECT 1", "x-note": "kept"}, "x-tag": 1.50}
          ]
        }
        """;
    PipelineText t = PipelineText.of(file);
    ObjectNode p = t.root();
    ObjectNode pipe = (ObjectNode) p.withArray("transformers").get(0);
    ((ObjectNode) pipe.get("params")).put("query", "SELECT 2");
    assertThat(t.write(p)).isEqualTo(file.replace("SELECT 1", "SELECT 2"));

    ((ArrayNode) pipe.get("inputDataId")).set(1, Json.MAPPER.getNodeFactory().textNode("Other"));
    assertThat(t.write(p)).isEqualTo(file.replace("SELECT 1", "SELECT 2").replace("\"More\"", "\"Other\""));

    pipe.remove("name");
    pipe.put("persist", "memory");
    assertThat(t.write(p)).isEqualTo("""
        {
          "transformers": [
            {"inputDataId": ["Words",  "Other"], "transformerType": "sql", "outputDataId": "Big",
             "params": {"query": "SELECT 2", "x-note": "kept"}, "x-tag": 1.50, "persist": "memory"}
          ]
        }
        """);
    assertThat(Json.read(t.write(p))).isEqualTo(p);

    ObjectNode q = t.root();
    ((ObjectNode) q.withArray("transformers").get(0)).remove("x-tag");
    assertThat(t.write(q)).isEqualTo(file.replace(", \"x-tag\": 1.50", ""));
  }

  @Test
  void addedAndRemovedEntriesAreLinesAddedAndRemoved() {
    PipelineText t = PipelineText.of(FILE);
    ObjectNode edited = t.root();
    ArrayNode data = (ArrayNode) edited.get("data");
    data.remove(1);
    data.addObject().put("dataId", "Extra");
    ((ObjectNode) edited.get("transformers").get(0)).put("outputDataId", "Extra");
    edited.put("description", "with an extra dataset");
    String out = t.write(edited);
    assertThat(diff(FILE, out)).containsExactlyInAnyOrder(
        "+    {\"dataId\": \"Out\", \"location\": \"${out}/o\", \"format\": \"parquet\", \"mode\": \"overwrite\"},",
        "+    {\"dataId\": \"Extra\"}",
        "+    {\"name\": \"a\", \"inputDataId\": [\"In\"], \"transformerType\": \"sql\", \"outputDataId\": \"Extra\", \"params\": {\"query\": \"SELECT * FROM In LIMIT ${limit}\"}},",
        "+  \"x-team\": {\"pager\": 1e3},",
        "+  \"description\": \"with an extra dataset\"",
        "-    {\"dataId\": \"Mid\"},",
        "-    {\"dataId\": \"Out\", \"location\": \"${out}/o\", \"format\": \"parquet\", \"mode\": \"overwrite\"}",
        "-    {\"name\": \"a\", \"inputDataId\": [\"In\"], \"transformerType\": \"sql\", \"outputDataId\": \"Mid\", \"params\": {\"query\": \"SELECT * FROM In LIMIT ${limit}\"}},",
        "-  \"x-team\": {\"pager\": 1e3}");
    assertThat(Json.read(out)).isEqualTo(edited);
  }

  @Test
  void aLongNewValueIsWrittenOneEntryPerLine() {
    PipelineText t = PipelineText.of("{\"name\": \"x\"}\n");
    ObjectNode edited = t.root();
    ObjectNode vars = edited.putObject("variables");
    for (int i = 0; i < 8; i++) {
      vars.put("variable" + i, "value number " + i);
    }
    String out = t.write(edited);
    assertThat(out).startsWith("{\n  \"name\": \"x\",\n  \"variables\": {\n    \"variable0\": \"value number 0\",\n").endsWith("\n  }\n}\n");
    assertThat(Json.read(out)).isEqualTo(edited);
  }

  @Test
  void notAnObjectIsRefused() {
    assertThatThrownBy(() -> PipelineText.of("[1, 2]")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot edit the pipeline: its JSON is not an object");
  }
}
