package io.ddp.spark.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ddp new DIR}: creates a Maven project for a team's own pipes, ready to test and run: a pom
 * inheriting {@code io.ddp:ddp-pipes-parent}, a pipe, its unit test, a pipeline that uses it with
 * sample data, and a README.
 *
 * <pre>{@code
 * ddp new my-pipes --package com.acme.pipes --pipe CleanText
 * cd my-pipes && mvn -B test
 * }</pre>
 */
@Command(name = "new", mixinStandardHelpOptions = true,
    description = {"Creates a Maven project for your own pipes: a pom on DDP, a pipe, its unit test, a pipeline",
        "that uses it with sample data, and a README. Then: cd DIR && mvn -B test."})
public final class NewCommand implements Callable<Integer> {
  static final String DEFAULT_PACKAGE = "com.example.pipes";
  static final String DEFAULT_PIPE = "CleanText";
  private static final String TEMPLATES = "/io/ddp/spark/cli/new-project/";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "the project directory to create (new, or empty)")
  Path dir;

  @Option(names = "--package", paramLabel = "P", defaultValue = DEFAULT_PACKAGE,
      description = "the Java package of the pipe (default: ${DEFAULT-VALUE})")
  String javaPackage;

  @Option(names = "--pipe", paramLabel = "NAME", defaultValue = DEFAULT_PIPE,
      description = "the pipe's class name (default: ${DEFAULT-VALUE})")
  String pipe;

  @Option(names = "--group-id", paramLabel = "G", description = "the project's Maven groupId (default: the package)")
  String groupId;

  @Option(names = "--artifact-id", paramLabel = "A", description = "the project's Maven artifactId (default: from DIR's name)")
  String artifactId;

  @Override
  public Integer call() {
    List<String> problems = new ArrayList<>();
    if (!isPackageName(javaPackage)) {
      problems.add("--package '" + javaPackage + "' is not a Java package name (dot-separated identifiers, no keywords, e.g. "
          + DEFAULT_PACKAGE + ")");
    }
    if (!SourceVersion.isIdentifier(pipe) || SourceVersion.isKeyword(pipe) || !Character.isUpperCase(pipe.codePointAt(0))) {
      problems.add("--pipe '" + pipe + "' is not a Java class name starting with a capital letter (e.g. " + DEFAULT_PIPE + ")");
    }
    String artifact = artifactId != null ? artifactId : artifactIdFrom(dir);
    if (!artifact.matches("[A-Za-z0-9_.-]+")) {
      problems.add("--artifact-id '" + artifact + "' may hold only letters, digits, '.', '_' and '-'");
    }
    String group = groupId != null ? groupId : javaPackage;
    if (!group.matches("[A-Za-z0-9_.-]+")) {
      problems.add("--group-id '" + group + "' may hold only letters, digits, '.', '_' and '-'");
    }
    Path target = dir.toAbsolutePath().normalize();
    if (Files.exists(target) && (!Files.isDirectory(target) || !isEmpty(target))) {
      problems.add(target + " exists and is not an empty directory: name a new directory");
    }
    if (!problems.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "Cannot create project: " + String.join("; ", problems));
    }
    String launcher = System.getenv().getOrDefault("DDP_LAUNCHER", "ddp");
    Map<String, String> values = new LinkedHashMap<>();
    values.put("package", javaPackage);
    values.put("packagePath", javaPackage.replace('.', '/'));
    values.put("Pipe", pipe);
    values.put("groupId", group);
    values.put("artifactId", artifact);
    values.put("ddpVersion", ddpVersion());
    values.put("launcher", launcher);
    List<Path> written = write(target, values);
    PrintWriter out = spec.commandLine().getOut();
    out.println("Created " + target + " (" + written.size() + " files): pipe " + javaPackage + "." + pipe + ", its test, pipeline.json");
    written.forEach(f -> out.println("  " + target.relativize(f)));
    out.println("Next:");
    out.println("  cd " + target);
    out.println("  mvn -B test");
    out.println("  mvn -B -q compile && DDP_CLASSPATH=target/classes " + launcher + " run pipeline.json");
    out.flush();
    return DdpCommand.EXIT_OK;
  }

  /** Writes the project's files; returns them in the order written. */
  static List<Path> write(Path target, Map<String, String> values) {
    String src = values.get("packagePath") + "/" + values.get("Pipe");
    Map<String, String> files = new LinkedHashMap<>();
    files.put("pom.xml", "pom.xml.tmpl");
    files.put("src/main/java/" + src + ".java", "Pipe.java.tmpl");
    files.put("src/test/java/" + src + "Test.java", "PipeTest.java.tmpl");
    files.put("pipeline.json", "pipeline.json.tmpl");
    files.put("data/input.csv", "input.csv");
    files.put("README.md", "README.md.tmpl");
    files.put(".gitignore", "gitignore.tmpl");
    List<Path> written = new ArrayList<>();
    try {
      for (Map.Entry<String, String> f : files.entrySet()) {
        Path file = target.resolve(f.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, fill(template(f.getValue()), values));
        written.add(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create project in " + target + ": " + e.getMessage(), e);
    }
    return written;
  }

  static String fill(String template, Map<String, String> values) {
    String out = template;
    for (Map.Entry<String, String> v : values.entrySet()) {
      out = out.replace("{{" + v.getKey() + "}}", v.getValue());
    }
    return out;
  }

  private static String template(String name) throws IOException {
    try (InputStream in = NewCommand.class.getResourceAsStream(TEMPLATES + name)) {
      if (in == null) {
        throw new IOException("template " + name + " is missing from DDP's jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The DDP version the generated pom depends on: the version this class was built as. */
  static String ddpVersion() {
    Properties p = new Properties();
    try (InputStream in = NewCommand.class.getResourceAsStream("/io/ddp/spark/cli/ddp.properties")) {
      if (in == null) {
        throw new IllegalStateException("io/ddp/spark/cli/ddp.properties is missing: build DDP with Maven");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }

  static boolean isPackageName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (String part : name.split("\\.", -1)) {
      if (!SourceVersion.isIdentifier(part) || SourceVersion.isKeyword(part)) {
        return false;
      }
    }
    return true;
  }

  static String artifactIdFrom(Path dir) {
    Path name = dir.toAbsolutePath().normalize().getFileName();
    String s = name == null ? "my-pipes" : name.toString().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-");
    s = s.replaceAll("^-+|-+$", "");
    return s.isEmpty() ? "my-pipes" : s;
  }

  private static boolean isEmpty(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /** Creates a project without exiting the JVM (the build uses it to generate its user-project test). */
  public static void main(String[] args) {
    int code = new CommandLine(new NewCommand()).execute(args);
    if (code != 0) {
      throw new IllegalStateException("ddp new " + String.join(" ", args) + " failed with exit code " + code);
    }
  }
}
