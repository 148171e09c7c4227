package io.ddp.core.pipe;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.text.Suggestions;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Resolves a {@code transformerType} to a pipe class: a registered alias (from every
 * {@link PipeProvider} on the class path) or a fully qualified class name.
 *
 * <pre>{@code
 * PipeTypes types = PipeTypes.load(Thread.currentThread().getContextClassLoader(), SparkPipe.class);
 * Class<?> sql = types.resolve("sql");
 * }</pre>
 */
public final class PipeTypes {
  private final Map<String, PipeRegistration> byAlias;
  private final ClassLoader loader;
  private final Class<?> requiredType;

  private PipeTypes(Map<String, PipeRegistration> byAlias, ClassLoader loader, Class<?> requiredType) {
    this.byAlias = Collections.unmodifiableMap(byAlias);
    this.loader = loader;
    this.requiredType = requiredType;
  }

  /**
   * Every alias the class loader's providers register; class names resolve through the same loader.
   *
   * @param requiredType what a pipe class must implement on this platform, e.g. {@code SparkPipe.class}
   * @throws DdpException when two providers register the same alias for different classes
   */
  public static PipeTypes load(ClassLoader loader, Class<?> requiredType) {
    List<PipeRegistration> all = ServiceLoader.load(PipeProvider.class, loader).stream()
        .flatMap(p -> p.get().pipes().stream())
        .collect(Collectors.toList());
    return of(all, loader, requiredType);
  }

  /** A registry of exactly these registrations. */
  public static PipeTypes of(Collection<PipeRegistration> registrations, ClassLoader loader, Class<?> requiredType) {
    Map<String, PipeRegistration> map = new TreeMap<>();
    for (PipeRegistration r : registrations) {
      PipeRegistration before = map.putIfAbsent(r.alias(), r);
      if (before != null && !before.pipeClass().equals(r.pipeClass())) {
        throw new DdpException("Cannot register pipe alias '" + r.alias() + "' twice: " + before.pipeClass().getName()
            + " and " + r.pipeClass().getName() + " both claim it; rename one in its PipeProvider");
      }
    }
    return new PipeTypes(map, loader, requiredType);
  }

  /** The registered aliases, sorted. */
  public SortedSet<String> aliases() {
    return new TreeSet<>(byAlias.keySet());
  }

  public Collection<PipeRegistration> registrations() {
    return byAlias.values();
  }

  /** The class a platform's pipes must implement. */
  public Class<?> requiredType() {
    return requiredType;
  }

  /**
   * The pipe class for an alias or class name.
   *
   * @throws DdpException saying why not: unknown alias (with did-you-mean), class not found, or
   *     a class that is not a usable pipe
   */
  public Class<?> resolve(String transformerType) {
    PipeRegistration registered = byAlias.get(transformerType);
    if (registered != null) {
      return check(registered.pipeClass(), transformerType);
    }
    if (!transformerType.contains(".")) {
      String hint = Suggestions.didYouMean(transformerType, byAlias.keySet());
      throw new DdpException("unknown transformerType '" + transformerType + "'" + hint
          + "; use a registered alias (" + (byAlias.isEmpty() ? "none registered" : String.join(", ", byAlias.keySet()))
          + ") or a fully qualified class name");
    }
    Class<?> cls;
    try {
      cls = Class.forName(transformerType, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new DdpException("class '" + transformerType + "' is not on the class path"
          + Suggestions.didYouMean(transformerType, byAlias.keySet())
          + "; add the jar that holds it (spark-submit --jars, or DDP_CLASSPATH for ./ddp)");
    }
    return check(cls, transformerType);
  }

  private Class<?> check(Class<?> cls, String transformerType) {
    if (!requiredType.isAssignableFrom(cls)) {
      throw new DdpException("'" + transformerType + "' is " + cls.getName() + ", which does not implement "
          + requiredType.getName() + "; a pipe implements " + requiredType.getSimpleName());
    }
    if (cls.isInterface() || Modifier.isAbstract(cls.getModifiers())) {
      throw new DdpException("'" + transformerType + "' is " + cls.getName() + ", which is abstract; name a concrete pipe class");
    }
    if (!Modifier.isPublic(cls.getModifiers())) {
      throw new DdpException("'" + transformerType + "' is " + cls.getName() + ", which is not public; make the class public");
    }
    if (cls.getEnclosingClass() != null && !Modifier.isStatic(cls.getModifiers())) {
      throw new DdpException("'" + transformerType + "' is " + cls.getName() + ", an inner class; make it static");
    }
    return cls;
  }

  /** Whether a pipe class overrides a default method of its pipe interface, e.g. {@code check}. */
  public static boolean overrides(Class<?> cls, String method) {
    return java.util.Arrays.stream(cls.getMethods())
        .anyMatch(m -> m.getName().equals(method) && !m.getDeclaringClass().isInterface());
  }

  /**
   * An instance of a pipe class for static checks, made with its public no-argument constructor, when
   * the class overrides {@code method} (a default method of a pipe interface such as
   * {@link Pipe#check}); empty when it does not override it, or has no such constructor (pipes made
   * through dependency injection are checked when they run).
   */
  public static java.util.Optional<Object> instanceOverriding(Class<?> cls, String method) {
    if (!overrides(cls, method)) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(cls.getConstructor().newInstance());
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return java.util.Optional.empty();
    }
  }
}
