package io.ddp.core.pipe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ddp.core.text.Suggestions;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds a declaration's {@code params} to a pipe's params type with Jackson, strictly: unknown fields,
 * wrong types and missing primitives are errors that name the field and say what was expected.
 */
public final class PipeParams {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private PipeParams() {}

  /** Why params could not be bound: the JSON pointer below {@code params} and the reason. */
  public static final class BindingException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    BindingException(String field, String message, Throwable cause) {
      super(message, cause);
      this.field = field;
    }

    /** The JSON pointer of the field below {@code params}, e.g. {@code /threshold}; empty for the whole object. */
    public String field() {
      return field;
    }
  }

  /** The params type a pipe class declares as {@code P} in {@code Pipe<D, P, C>}. */
  public static Type paramsType(Class<?> pipeClass) {
    Type t = resolve(pipeClass, Pipe.class, 1, new HashMap<>());
    if (t == null || t instanceof TypeVariable) {
      return ObjectNode.class;
    }
    return t;
  }

  /**
   * Binds params to the type.
   *
   * @throws BindingException naming the field and what is wrong
   */
  public static Object bind(JsonNode params, Type type) {
    JavaType javaType = MAPPER.getTypeFactory().constructType(type);
    if (javaType.getRawClass() == NoParams.class) {
      if (params != null && params.size() > 0) {
        List<String> names = new ArrayList<>();
        params.fieldNames().forEachRemaining(names::add);
        throw new BindingException("/" + names.get(0), "this pipe takes no params, but " + names
            + " declared; remove \"params\"", null);
      }
      return new NoParams();
    }
    if (javaType.getRawClass().isAssignableFrom(ObjectNode.class)) {
      return params.deepCopy();
    }
    rejectUnknownFields(params, javaType);
    try {
      return MAPPER.readerFor(javaType).readValue(MAPPER.treeAsTokens(params));
    } catch (UnrecognizedPropertyException e) {
      Collection<String> known = e.getKnownPropertyIds() == null ? List.of()
          : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.toList());
      throw new BindingException(path(e), "unknown param '" + e.getPropertyName() + "'"
          + Suggestions.didYouMean(e.getPropertyName(), known) + "; known params: " + known, e);
    } catch (InvalidFormatException e) {
      throw new BindingException(path(e), "param '" + fieldName(e) + "' has the value " + quoted(e.getValue())
          + ", which is not a valid " + simple(e.getTargetType()), e);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new BindingException(path(e), "invalid params: " + cause.getMessage(), e);
    } catch (MismatchedInputException e) {
      String field = fieldName(e);
      String message = field.isEmpty()
          ? "params must be a JSON object matching " + simple(e.getTargetType())
          : "param '" + field + "' must be " + article(simple(e.getTargetType())) + ": " + e.getOriginalMessage().split("\n")[0];
      throw new BindingException(path(e), message, e);
    } catch (JsonMappingException e) {
      throw new BindingException(path(e), "invalid params: " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new BindingException("", "invalid params: " + e.getOriginalMessage(), e);
    } catch (java.io.IOException e) {
      throw new BindingException("", "invalid params: " + e.getMessage(), e);
    }
  }

  /**
   * Reports unknown fields before binding: Jackson would first call a record's constructor with the
   * misspelled field missing, and its complaint ("x is required") would hide the typo.
   */
  private static void rejectUnknownFields(JsonNode params, JavaType type) {
    if (params == null || !params.isObject() || type.isContainerType() || type.isPrimitive()
        || type.getRawClass().getName().startsWith("java.")) {
      return;
    }
    com.fasterxml.jackson.databind.BeanDescription bean = MAPPER.getDeserializationConfig().introspect(type);
    if (bean.findAnySetterAccessor() != null || MAPPER.getDeserializationConfig()
        .getDefaultPropertyIgnorals(type.getRawClass(), bean.getClassInfo()).getIgnoreUnknown()) {
      return;
    }
    List<String> known = new ArrayList<>();
    bean.findProperties().forEach(p -> {
      known.add(p.getName());
      p.findAliases().forEach(a -> known.add(a.getSimpleName()));
    });
    List<String> ignored = new ArrayList<>(bean.getIgnoredPropertyNames());
    java.util.Collections.sort(known);
    java.util.Iterator<String> names = params.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name) && !ignored.contains(name)) {
        throw new BindingException("/" + name, "unknown param '" + name + "'" + Suggestions.didYouMean(name, known)
            + "; known params: " + known, null);
      }
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      sb.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
    }
    return sb.toString();
  }

  private static String fieldName(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static String quoted(Object value) {
    return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }

  private static String simple(Class<?> type) {
    if (type == null) {
      return "value";
    }
    if (type.isEnum()) {
      Object[] constants = type.getEnumConstants();
      List<String> names = new ArrayList<>();
      for (Object c : constants) {
        names.add(String.valueOf(c));
      }
      return type.getSimpleName() + " (one of " + String.join(", ", names) + ")";
    }
    return type.getSimpleName();
  }

  private static String article(String noun) {
    return ("AEIOUaeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
  }

  /** Resolves type argument {@code index} of {@code target} as seen from {@code cls}. */
  private static Type resolve(Type type, Class<?> target, int index, Map<TypeVariable<?>, Type> bindings) {
    Class<?> raw;
    if (type instanceof ParameterizedType) {
      ParameterizedType pt = (ParameterizedType) type;
      raw = (Class<?>) pt.getRawType();
      TypeVariable<?>[] vars = raw.getTypeParameters();
      Type[] args = pt.getActualTypeArguments();
      Map<TypeVariable<?>, Type> next = new HashMap<>(bindings);
      for (int i = 0; i < vars.length; i++) {
        Type arg = args[i];
        next.put(vars[i], arg instanceof TypeVariable && bindings.containsKey(arg) ? bindings.get(arg) : arg);
      }
      if (raw == target) {
        return next.get(vars[index]);
      }
      bindings = next;
    } else if (type instanceof Class) {
      raw = (Class<?>) type;
      if (raw == target) {
        return null;
      }
    } else {
      return null;
    }
    List<Type> supers = new ArrayList<>(List.of(raw.getGenericInterfaces()));
    if (raw.getGenericSuperclass() != null) {
      supers.add(raw.getGenericSuperclass());
    }
    for (Type s : supers) {
      Type found = resolve(s, target, index, bindings);
      if (found != null) {
        return found;
      }
    }
    return null;
  }
}
