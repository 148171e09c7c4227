package io.ddp.core.json;

import io.ddp.core.text.Suggestions;
import io.ddp.core.validate.Problems;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Substitutes {@code ${name}} and {@code ${env:NAME}} in string values.
 *
 * <ul>
 *   <li>{@code ${pipeline.dir}}: the absolute directory of the pipeline file (unless declared otherwise).
 *   <li>{@code ${name}}: from {@code --var name=value}, else from the file's {@code variables}. A declared
 *       value may itself use other variables; a command-line value is taken literally.
 *   <li>{@code ${env:NAME}}: from the environment.
 *   <li>{@code ${name:-fallback}} and {@code ${env:NAME:-fallback}}: the fallback when undefined.
 *   <li>{@code $${...}} stands for a literal {@code ${...}}.
 * </ul>
 */
final class Variables {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, String> declared;
  private final Map<String, String> overrides;
  private final Map<String, String> builtins;
  private final Function<String, String> env;
  private final Map<String, String> resolved = new HashMap<>();

  Variables(Map<String, String> declared, Map<String, String> overrides, Map<String, String> builtins,
      Function<String, String> env) {
    this.declared = declared;
    this.overrides = overrides;
    this.builtins = builtins;
    this.env = env;
  }

  static boolean isName(String name) {
    return NAME.matcher(name).matches();
  }

  /** Declared variables with overrides applied and references resolved, for the declaration record. */
  Map<String, String> effective(Problems problems, Map<String, String> declaredPointers) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : declared.keySet()) {
      String pointer = declaredPointers.getOrDefault(name, "/variables");
      String value = value(name, new ArrayDeque<>(), pointer, problems);
      out.put(name, value == null ? "" : value);
    }
    overrides.forEach(out::put);
    return out;
  }

  /** The text with every reference replaced; problems name the pointer where the text stands. */
  String substitute(String text, String pointer, Problems problems) {
    return substitute(text, pointer, problems, new ArrayDeque<>());
  }

  private String substitute(String text, String pointer, Problems problems, Deque<String> stack) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '$' && text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
        continue;
      }
      if (c == '$' && text.startsWith("${", i)) {
        int end = closing(text, i + 2);
        if (end < 0) {
          problems.error(pointer, "variables", "unterminated variable reference in \"" + text
              + "\": add the closing '}' (write $${ for a literal ${)");
          return text;
        }
        String ref = text.substring(i + 2, end);
        String value = reference(ref, text, pointer, problems, stack);
        out.append(value == null ? "" : value);
        i = end + 1;
        continue;
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  /** The '}' that closes a reference whose body starts at {@code from}, allowing nested ${...} in fallbacks. */
  private static int closing(String text, int from) {
    int depth = 0;
    for (int j = from; j < text.length(); j++) {
      if (text.startsWith("${", j)) {
        depth++;
        j++;
      } else if (text.charAt(j) == '}') {
        if (depth == 0) {
          return j;
        }
        depth--;
      }
    }
    return -1;
  }

  private String reference(String ref, String text, String pointer, Problems problems, Deque<String> stack) {
    String fallback = null;
    int dash = ref.indexOf(":-");
    String key = ref;
    if (dash >= 0) {
      fallback = ref.substring(dash + 2);
      key = ref.substring(0, dash);
    }
    if (key.startsWith("env:")) {
      String envName = key.substring(4);
      if (!ENV_NAME.matcher(envName).matches()) {
        problems.error(pointer, "variables", "invalid reference ${" + ref + "} in \"" + text
            + "\": an environment variable name has letters, digits and '_'");
        return null;
      }
      String value = env.apply(envName);
      if (value == null) {
        if (fallback != null) {
          return substitute(fallback, pointer, problems, stack);
        }
        problems.error(pointer, "variables", "environment variable " + envName + " used as ${env:" + envName
            + "} is not set; export it, or give a fallback: ${env:" + envName + ":-value}");
      }
      return value;
    }
    if (!NAME.matcher(key).matches()) {
      problems.error(pointer, "variables", "invalid reference ${" + ref + "} in \"" + text
          + "\": a variable name has letters, digits, '_', '.' and '-' and starts with a letter or '_'");
      return null;
    }
    if (!overrides.containsKey(key) && !declared.containsKey(key) && builtins.containsKey(key)) {
      return builtins.get(key);
    }
    if (!overrides.containsKey(key) && !declared.containsKey(key)) {
      if (fallback != null) {
        return substitute(fallback, pointer, problems, stack);
      }
      java.util.Set<String> known = new java.util.TreeSet<>(declared.keySet());
      known.addAll(overrides.keySet());
      problems.error(pointer, "variables", "variable ${" + key + "} is not defined" + Suggestions.didYouMean(key, known)
          + "; declare it under \"variables\" or pass --var " + key + "=VALUE");
      return null;
    }
    return value(key, stack, pointer, problems);
  }

  private String value(String name, Deque<String> stack, String pointer, Problems problems) {
    if (overrides.containsKey(name)) {
      return overrides.get(name);
    }
    if (resolved.containsKey(name)) {
      return resolved.get(name);
    }
    if (stack.contains(name)) {
      StringBuilder path = new StringBuilder();
      boolean on = false;
      for (String s : (Iterable<String>) stack::descendingIterator) {
        on |= s.equals(name);
        if (on) {
          path.append(s).append(" -> ");
        }
      }
      problems.error(pointer, "variables", "variable ${" + name + "} refers to itself: " + path + name
          + "; make one of them a plain value");
      return null;
    }
    stack.push(name);
    String value = substitute(declared.get(name), pointer, problems, stack);
    stack.pop();
    resolved.put(name, value);
    return value;
  }
}
