package io.ddp.spark.cli;

import static io.ddp.spark.cli.DdpCommandTest.ddp;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ddp new}; building and testing the project it makes is the user-project test in ddp-examples. */
class NewCommandTest {
  @TempDir
  Path dir;

  @Test
  void createsAProjectWithThePipeItsTestAndAPipelineThatNamesIt() throws Exception {
    Path project = dir.resolve("Acme Pipes");
    DdpCommandTest.Outcome o = ddp("new", project.toString(), "--package", "com.acme.pipes", "--pipe", "CleanNotes");

    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("Created " + project).contains("src/main/java/com/acme/pipes/CleanNotes.java")
        .contains("mvn -B test").contains("DDP_CLASSPATH=target/classes");
    String pom = Files.readString(project.resolve("pom.xml"));
    assertThat(pom).contains("<artifactId>ddp-pipes-parent</artifactId>").contains("<version>" + NewCommand.ddpVersion() + "</version>")
        .contains("<groupId>com.acme.pipes</groupId>").contains("<artifactId>acme-pipes</artifactId>").doesNotContain("{{");
    assertThat(NewCommand.ddpVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
    String pipe = Files.readString(project.resolve("src/main/java/com/acme/pipes/CleanNotes.java"));
    assertThat(pipe).startsWith("package com.acme.pipes;").contains("public final class CleanNotes implements SparkPipe<CleanNotes.Params>");
    assertThat(Files.readString(project.resolve("src/test/java/com/acme/pipes/CleanNotesTest.java")))
        .contains("class CleanNotesTest").contains("new CleanNotes()");
    assertThat(Files.readString(project.resolve("pipeline.json"))).contains("\"transformerType\": \"com.acme.pipes.CleanNotes\"");
    assertThat(project.resolve("data/input.csv")).exists();
    assertThat(Files.readString(project.resolve("README.md"))).contains("run pipeline.json").doesNotContain("{{");
    assertThat(Files.readString(project.resolve(".gitignore"))).contains("target/");
  }

  @Test
  void theGeneratedPipelineValidates() throws Exception {
    Path project = dir.resolve("p");
    assertThat(ddp("new", project.toString()).code()).isZero();
    // The pipe's class is not compiled here, so only its name can be unknown; everything else must hold.
    DdpCommandTest.Outcome o = ddp("validate", project.resolve("pipeline.json").toString());
    assertThat(o.err()).contains("com.example.pipes.CleanText").doesNotContain("unknown key").doesNotContain("variable");
  }

  @Test
  void badNamesAndANonEmptyDirectoryAreReportedTogetherAndNothingIsWritten() throws Exception {
    Path taken = Files.createDirectories(dir.resolve("taken"));
    Files.writeString(taken.resolve("notes.txt"), "mine");
    DdpCommandTest.Outcome o = ddp("new", taken.toString(), "--package", "com.1acme.class", "--pipe", "cleanNotes");

    assertThat(o.code()).isEqualTo(DdpCommand.EXIT_INVALID);
    assertThat(o.err()).contains("Cannot create project: --package 'com.1acme.class' is not a Java package name")
        .contains("--pipe 'cleanNotes' is not a Java class name starting with a capital letter")
        .contains(taken + " exists and is not an empty directory: name a new directory");
    try (var files = Files.list(taken)) {
      assertThat(files).containsExactly(taken.resolve("notes.txt"));
    }
  }

  @Test
  void anEmptyDirectoryIsUsed() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThat(ddp("new", empty.toString(), "--artifact-id", "x").code()).isZero();
    assertThat(Files.readString(empty.resolve("pom.xml"))).contains("<artifactId>x</artifactId>");
  }
}
