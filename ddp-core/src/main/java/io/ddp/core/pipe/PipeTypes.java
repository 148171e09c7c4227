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
      throw new DdpException(notFound(transformerType));
    }
    return check(cls, transformerType);
  }

  /**
   * Why a class name does not resolve: a misspelt class in a package that is there ("no class named
   * ..." with the pipe classes of that package to choose from), or a package that is not there ("not
   * on the class path", with the registered names that come close).
   */
  private String notFound(String className) {
    int dot = className.lastIndexOf('.');
    String pkg = className.substring(0, dot);
    SortedSet<String> inPackage = classesIn(pkg);
    if (!inPackage.isEmpty()) {
      SortedSet<String> pipes = new TreeSet<>();
      for (String name : inPackage) {
        try {
          Class<?> c = Class.forName(name, false, loader);
          if (requiredType.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
            pipes.add(name);
          }
        } catch (ClassNotFoundException | LinkageError ignored) {
          // not loadable: not a candidate
        }
      }
      // Compared by simple name: within one package the common prefix would make every class look close.
      Map<String, String> bySimpleName = new TreeMap<>();
      pipes.forEach(n -> bySimpleName.put(n.substring(dot + 1), n));
      byAlias.keySet().forEach(a -> bySimpleName.putIfAbsent(a, a));
      List<String> close = Suggestions.closest(className.substring(dot + 1), bySimpleName.keySet()).stream()
          .map(bySimpleName::get).toList();
      String hint = close.isEmpty() ? "" : close.size() == 1 ? " (did you mean '" + close.get(0) + "'?)"
          : close.stream().map(c -> "'" + c + "'").collect(Collectors.joining(", ", " (did you mean one of ", "?)"));
      return "no class named '" + className + "' in package " + pkg + hint + "; its pipe classes are "
          + (pipes.isEmpty() ? "none" : String.join(", ", pipes.stream().map(n -> n.substring(dot + 1)).toList()))
          + (byAlias.isEmpty() ? "" : "; registered aliases: " + String.join(", ", byAlias.keySet()));
    }
    SortedSet<String> candidates = new TreeSet<>(byAlias.keySet());
    byAlias.values().forEach(r -> candidates.add(r.pipeClass().getName()));
    return "class '" + className + "' is not on the class path" + Suggestions.didYouMean(className, candidates)
        + "; add the jar that holds it (spark-submit --jars, or DDP_CLASSPATH for ./ddp)";
  }

  /** The top-level classes of a package on the class loader's path: directories and jars. */
  private SortedSet<String> classesIn(String pkg) {
    SortedSet<String> out = new TreeSet<>();
    String dir = pkg.replace('.', '/');
    try {
      java.util.Enumeration<java.net.URL> urls = loader.getResources(dir);
      while (urls.hasMoreElements()) {
        java.net.URL url = urls.nextElement();
        if ("file".equals(url.getProtocol())) {
          java.io.File[] files = new java.io.File(url.toURI()).listFiles();
          for (java.io.File f : files == null ? new java.io.File[0] : files) {
            addClass(out, pkg, f.getName());
          }
        } else if ("jar".equals(url.getProtocol())) {
          java.net.JarURLConnection jar = (java.net.JarURLConnection) url.openConnection();
          jar.setUseCaches(false);
          try (java.util.jar.JarFile file = jar.getJarFile()) {
            file.stream().map(java.util.jar.JarEntry::getName)
                .filter(n -> n.startsWith(dir + "/") && n.indexOf('/', dir.length() + 1) < 0)
                .forEach(n -> addClass(out, pkg, n.substring(dir.length() + 1)));
          }
        }
      }
    } catch (java.io.IOException | java.net.URISyntaxException | RuntimeException e) {
      // Whatever could be listed is enough for a hint.
    }
    return out;
  }

  private static void addClass(SortedSet<String> out, String pkg, String file) {
    if (file.endsWith(".class") && !file.contains("$") && !file.equals("package-info.class") && !file.equals("module-info.class")) {
      out.add(pkg + "." + file.substring(0, file.length() - ".class".length()));
    }
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
