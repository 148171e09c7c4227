package io.ddp.core.pipe;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The JSON Schema (draft 2020-12) of a pipe's params type, derived from the type itself: a record's
 * components (documented with {@link Param}), their Java types, nested records, lists, maps and
 * enums. Params bind strictly, so records admit no other properties.
 *
 * <pre>{@code
 * ObjectNode schema = ParamsSchema.of(PipeParams.paramsType(SqlPipe.class));
 * }</pre>
 */
public final class ParamsSchema {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ParamsSchema() {}

  /** The schema of a params type ({@link PipeParams#paramsType}). */
  public static ObjectNode of(Type paramsType) {
    return schema(paramsType, new HashSet<>());
  }

  private static ObjectNode schema(Type type, Set<Class<?>> seen) {
    ObjectNode s = JSON.objectNode();
    Class<?> raw = raw(type);
    if (raw == null || raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
      return s; // any JSON
    }
    if (raw == NoParams.class) {
      s.put("type", "object");
      s.putObject("properties");
      s.put("additionalProperties", false);
      return s;
    }
    if (raw == java.util.Optional.class) {
      return schema(argument(type, 0), seen);
    }
    if (raw == String.class || raw == Character.class || raw == char.class || raw == java.net.URI.class
        || raw == java.net.URL.class || raw == java.util.UUID.class || raw == java.io.File.class
        || java.nio.file.Path.class.isAssignableFrom(raw) || java.time.temporal.TemporalAccessor.class.isAssignableFrom(raw)
        || raw == java.time.Duration.class || raw == java.time.Period.class || raw == java.util.regex.Pattern.class
        || raw == java.util.Locale.class || raw == java.nio.charset.Charset.class) {
      s.put("type", "string"); // Jackson binds these from strings
    } else if (raw == Boolean.class || raw == boolean.class) {
      s.put("type", "boolean");
    } else if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class || raw == Short.class
        || raw == short.class || raw == Byte.class || raw == byte.class || raw == BigInteger.class) {
      s.put("type", "integer");
    } else if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class || raw == BigDecimal.class) {
      s.put("type", "number");
    } else if (raw.isEnum()) {
      s.put("type", "string");
      ArrayNode values = s.putArray("enum");
      for (Object c : raw.getEnumConstants()) {
        values.add(((Enum<?>) c).name());
      }
    } else if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
      s.put("type", "array");
      Type item = raw.isArray() ? (type instanceof GenericArrayType g ? g.getGenericComponentType() : raw.getComponentType())
          : argument(type, 0);
      s.set("items", schema(item, seen));
      if (Set.class.isAssignableFrom(raw)) {
        s.put("uniqueItems", true);
      }
    } else if (Map.class.isAssignableFrom(raw)) {
      s.put("type", "object");
      s.set("additionalProperties", schema(argument(type, 1), seen));
    } else if (raw.isRecord()) {
      if (!seen.add(raw)) {
        s.put("type", "object"); // a recursive params type: described once
        return s;
      }
      s.put("type", "object");
      ObjectNode properties = s.putObject("properties");
      ArrayNode required = JSON.arrayNode();
      for (RecordComponent c : raw.getRecordComponents()) {
        String name = jsonName(c);
        ObjectNode p = schema(c.getGenericType(), seen);
        Param doc = c.getAnnotation(Param.class);
        if (doc != null) {
          p.put("description", doc.value());
          if (!doc.defaultValue().isEmpty()) {
            p.set("default", defaultValue(doc.defaultValue()));
          }
          if (doc.required()) {
            required.add(name);
          }
        }
        properties.set(name, p);
      }
      if (!required.isEmpty()) {
        s.set("required", required);
      }
      s.put("additionalProperties", false);
      seen.remove(raw);
    } else {
      s.put("type", "object"); // a bean: Jackson binds its properties
    }
    return s;
  }

  private static String jsonName(RecordComponent c) {
    JsonProperty named = c.getAnnotation(JsonProperty.class);
    return named != null && !named.value().isEmpty() ? named.value() : c.getName();
  }

  private static JsonNode defaultValue(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return JSON.textNode(text); // a bare word: the string itself
    }
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return raw(p.getRawType());
    }
    if (type instanceof GenericArrayType) {
      return Object[].class;
    }
    return null;
  }

  private static Type argument(Type type, int i) {
    if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > i) {
      return p.getActualTypeArguments()[i];
    }
    return Object.class;
  }
}
