package io.ddp.core.pipe;

import static io.ddp.core.Hints.normalized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipeParamsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  public record ScoreParams(double threshold, String column, List<String> labels) {}

  public record Optional2(Integer count, String column) {}

  public enum Unit { ROWS, BYTES }

  public record Nested(Limits limits, Unit unit, List<Integer> sizes) {}

  public record Limits(int max) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Lenient(int count) {}

  public record Renamed(@JsonProperty("max-rows") Integer maxRows) {}

  public record Aliased(@JsonAlias("cnt") Integer count) {}

  public static final class CatchAll {
    public Integer count;
    public final Map<String, Object> rest = new LinkedHashMap<>();

    @JsonAnySetter
    public void set(String key, Object value) {
      rest.put(key, value);
    }
  }

  public static final class Bean {
    public String column;
    public int count = 7;
  }

  // Direct implementation.
  public static final class Direct implements Pipe<String, ScoreParams, PipeContext> {
    @Override
    public String apply(PipeInputs<String> inputs, ScoreParams params, PipeContext context) {
      return "";
    }
  }

  // Through an abstract superclass that fixes D and C and passes P on.
  public abstract static class StringPipe<P> implements Pipe<String, P, PipeContext> {}

  public static final class ViaSuperclass extends StringPipe<ScoreParams> {
    @Override
    public String apply(PipeInputs<String> inputs, ScoreParams params, PipeContext context) {
      return "";
    }
  }

  // Through a sub-interface whose own type parameters are in a different order.
  public interface Keyed<P, K> extends Pipe<String, P, PipeContext> {}

  public abstract static class Middle<K, Q> implements Keyed<Q, K> {}

  public static final class ViaInterfaceAndSuperclass extends Middle<Long, Nested> {
    @Override
    public String apply(PipeInputs<String> inputs, Nested params, PipeContext context) {
      return "";
    }
  }

  // Generic parameterised params type.
  public static final class MapParams implements Pipe<String, Map<String, Integer>, PipeContext> {
    @Override
    public String apply(PipeInputs<String> inputs, Map<String, Integer> params, PipeContext context) {
      return "";
    }
  }

  // P left open: DDP hands over the raw JSON.
  public static class Open<P> implements Pipe<String, P, PipeContext> {
    @Override
    public String apply(PipeInputs<String> inputs, P params, PipeContext context) {
      return "";
    }
  }

  @SuppressWarnings("rawtypes")
  public static final class Raw implements Pipe {
    @Override
    public Object apply(PipeInputs inputs, Object params, PipeContext context) {
      return "";
    }
  }

  public static final class NoneTaken implements Pipe<String, NoParams, PipeContext> {
    @Override
    public String apply(PipeInputs<String> inputs, NoParams params, PipeContext context) {
      return "";
    }
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  private static PipeParams.BindingException bindingError(String params, Type type) throws Exception {
    JsonNode node = json(params);
    return catchThrowableOfType(PipeParams.BindingException.class, () -> PipeParams.bind(node, type));
  }

  @Test
  void findsTheParamsTypeOfADirectImplementation() {
    assertThat(PipeParams.paramsType(Direct.class)).isEqualTo(ScoreParams.class);
    assertThat(PipeParams.paramsType(NoneTaken.class)).isEqualTo(NoParams.class);
  }

  @Test
  void findsTheParamsTypeThroughAnAbstractSuperclass() {
    assertThat(PipeParams.paramsType(ViaSuperclass.class)).isEqualTo(ScoreParams.class);
  }

  @Test
  void findsTheParamsTypeThroughASubInterfaceWithReorderedTypeParameters() {
    assertThat(PipeParams.paramsType(ViaInterfaceAndSuperclass.class)).isEqualTo(Nested.class);
  }

  @Test
  void keepsAParameterisedParamsType() {
    Type type = PipeParams.paramsType(MapParams.class);

    assertThat(type).isInstanceOf(ParameterizedType.class);
    assertThat(((ParameterizedType) type).getRawType()).isEqualTo(Map.class);
    assertThat(((ParameterizedType) type).getActualTypeArguments()).containsExactly(String.class, Integer.class);
  }

  @Test
  void fallsBackToObjectNodeForOpenAndRawTypes() {
    assertThat(PipeParams.paramsType(Open.class)).isEqualTo(ObjectNode.class);
    assertThat(PipeParams.paramsType(Raw.class)).isEqualTo(ObjectNode.class);
    assertThat(PipeParams.paramsType(String.class)).isEqualTo(ObjectNode.class);
  }

  @Test
  void bindsARecord() throws Exception {
    Object bound = PipeParams.bind(json("{\"threshold\": 0.5, \"column\": \"text\", \"labels\": [\"neg\", \"pos\"]}"),
        PipeParams.paramsType(ViaSuperclass.class));

    assertThat(bound).isEqualTo(new ScoreParams(0.5, "text", List.of("neg", "pos")));
  }

  @Test
  void bindsNestedRecordsEnumsAndLists() throws Exception {
    Object bound = PipeParams.bind(json("{\"limits\": {\"max\": 3}, \"unit\": \"BYTES\", \"sizes\": [1, 2]}"), Nested.class);

    assertThat(bound).isEqualTo(new Nested(new Limits(3), Unit.BYTES, List.of(1, 2)));
  }

  @Test
  void bindsABeanKeepingDefaults() throws Exception {
    Bean bean = (Bean) PipeParams.bind(json("{\"column\": \"c\"}"), Bean.class);

    assertThat(bean.column).isEqualTo("c");
    assertThat(bean.count).isEqualTo(7);
  }

  @Test
  void bindsAMap() throws Exception {
    Object bound = PipeParams.bind(json("{\"a\": 1, \"b\": 2}"), PipeParams.paramsType(MapParams.class));

    assertThat(bound).isEqualTo(Map.of("a", 1, "b", 2));
  }

  @Test
  void passesACopyOfTheJsonToObjectNodeAndJsonNodeParams() throws Exception {
    JsonNode params = json("{\"anything\": {\"goes\": [1, 2]}}");

    Object bound = PipeParams.bind(params, ObjectNode.class);
    assertThat(bound).isInstanceOf(ObjectNode.class).isEqualTo(params).isNotSameAs(params);
    ((ObjectNode) bound).put("anything", "changed");
    assertThat(params.get("anything").isObject()).as("the declaration's JSON is untouched").isTrue();

    assertThat(PipeParams.bind(params, JsonNode.class)).isEqualTo(params);
    assertThat(PipeParams.bind(params, PipeParams.paramsType(Open.class))).isEqualTo(params);
  }

  @Test
  void bindsNoParams() throws Exception {
    assertThat(PipeParams.bind(json("{}"), NoParams.class)).isEqualTo(new NoParams());
    assertThat(PipeParams.bind(null, NoParams.class)).isEqualTo(new NoParams());
  }

  @Test
  void refusesParamsForAPipeThatTakesNone() throws Exception {
    PipeParams.BindingException e = bindingError("{\"threshold\": 0.5, \"column\": \"x\"}", NoParams.class);

    assertThat(e.field()).isEqualTo("/threshold");
    assertThat(e).hasMessage("this pipe takes no params, but [threshold, column] declared; remove \"params\"");
  }

  @Test
  void reportsAnUnknownParamWithSuggestion() throws Exception {
    PipeParams.BindingException e = bindingError("{\"count\": 1, \"colum\": \"x\"}", Optional2.class);

    assertThat(e.field()).isEqualTo("/colum");
    assertThat(normalized(e.getMessage()))
        .isEqualTo(normalized("unknown param 'colum' (did you mean 'column'?); known params: [column, count]"));
  }

  @Test
  void reportsAnUnknownParamOfABean() throws Exception {
    PipeParams.BindingException e = bindingError("{\"cuont\": 1}", Bean.class);

    assertThat(e.field()).isEqualTo("/cuont");
    assertThat(normalized(e.getMessage()))
        .isEqualTo(normalized("unknown param 'cuont' (did you mean 'count'?); known params: [column, count]"));
  }

  /**
   * Jackson builds a record through its constructor and reports buffered unknown properties only after it, so
   * without a check of its own the misspelt key would surface as "param 'threshold' must be a double: Cannot map
   * `null`..." and lose its did-you-mean.
   */
  @Test
  void reportsAMisspeltPrimitiveParamAsUnknown() throws Exception {
    PipeParams.BindingException e = bindingError("{\"threshhold\": 0.5, \"column\": \"text\"}", ScoreParams.class);

    assertThat(e.field()).isEqualTo("/threshhold");
    assertThat(normalized(e.getMessage()))
        .isEqualTo(normalized("unknown param 'threshhold' (did you mean 'threshold'?); known params: [column, labels, threshold]"));
  }

  @Test
  void usesTheJsonNamesOfRenamedParams() throws Exception {
    assertThat(PipeParams.bind(json("{\"max-rows\": 5}"), Renamed.class)).isEqualTo(new Renamed(5));

    PipeParams.BindingException e = bindingError("{\"maxRows\": 5}", Renamed.class);
    assertThat(e.field()).isEqualTo("/maxRows");
    assertThat(normalized(e.getMessage()))
        .isEqualTo(normalized("unknown param 'maxRows' (did you mean 'max-rows'?); known params: [max-rows]"));
  }

  @Test
  void letsATypeAcceptUnknownParams() throws Exception {
    assertThat(PipeParams.bind(json("{\"count\": 1, \"extra\": true}"), Lenient.class)).isEqualTo(new Lenient(1));

    CatchAll all = (CatchAll) PipeParams.bind(json("{\"count\": 1, \"extra\": true}"), CatchAll.class);
    assertThat(all.count).isEqualTo(1);
    assertThat(all.rest).containsExactly(Map.entry("extra", true));
  }

  @Test
  void acceptsAJsonAlias() throws Exception {
    assertThat(PipeParams.bind(json("{\"cnt\": 4}"), Aliased.class)).isEqualTo(new Aliased(4));
  }

  @Test
  void reportsAnOutOfRangeNumber() throws Exception {
    PipeParams.BindingException e = bindingError("{\"count\": 3000000000}", Aliased.class);

    assertThat(e.getMessage()).startsWith("invalid params: Numeric value (3000000000) out of range of int");
  }

  @Test
  void reportsAMissingPrimitive() throws Exception {
    PipeParams.BindingException e = bindingError("{\"column\": \"text\"}", ScoreParams.class);

    assertThat(e.field()).isEqualTo("/threshold");
    assertThat(e.getMessage()).startsWith("param 'threshold' must be a double: Cannot map `null` into type `double`");
  }

  @Test
  void reportsAValueOfTheWrongType() throws Exception {
    PipeParams.BindingException e = bindingError("{\"threshold\": \"high\"}", ScoreParams.class);

    assertThat(e.field()).isEqualTo("/threshold");
    assertThat(e).hasMessage("param 'threshold' has the value \"high\", which is not a valid double");
  }

  @Test
  void reportsAnObjectWhereAValueIsExpected() throws Exception {
    PipeParams.BindingException e = bindingError("{\"threshold\": 0.5, \"column\": {\"name\": \"text\"}}", ScoreParams.class);

    assertThat(e.field()).isEqualTo("/column");
    assertThat(e.getMessage()).startsWith("param 'column' must be a String: Cannot deserialize value of type `java.lang.String`");
  }

  @Test
  void namesTheNestedFieldAndListElement() throws Exception {
    PipeParams.BindingException nested = bindingError("{\"limits\": {\"max\": \"lots\"}}", Nested.class);
    assertThat(nested.field()).isEqualTo("/limits/max");
    assertThat(nested).hasMessage("param 'limits.max' has the value \"lots\", which is not a valid int");

    PipeParams.BindingException element = bindingError("{\"sizes\": [1, \"two\"]}", Nested.class);
    assertThat(element.field()).isEqualTo("/sizes/1");
    assertThat(element).hasMessage("param 'sizes.[1]' has the value \"two\", which is not a valid Integer");
  }

  @Test
  void listsTheConstantsOfAnEnum() throws Exception {
    PipeParams.BindingException e = bindingError("{\"unit\": \"LINES\"}", Nested.class);

    assertThat(e.field()).isEqualTo("/unit");
    assertThat(e).hasMessage("param 'unit' has the value \"LINES\", which is not a valid Unit (one of ROWS, BYTES)");
  }

  @Test
  void refusesANumberForAnEnum() throws Exception {
    PipeParams.BindingException e = bindingError("{\"unit\": 1}", Nested.class);

    assertThat(e.field()).isEqualTo("/unit");
    assertThat(e).hasMessage("param 'unit' has the value 1, which is not a valid Unit (one of ROWS, BYTES)");
  }

  @Test
  void reportsParamsThatAreNotAnObject() throws Exception {
    PipeParams.BindingException e = bindingError("[1, 2]", Optional2.class);

    assertThat(e.field()).isEmpty();
    assertThat(e).hasMessage("params must be a JSON object matching Optional2");
  }
}
