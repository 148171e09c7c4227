package io.ddp.core.pipe;

import static io.ddp.core.Hints.normalized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ddp.core.exceptions.DdpException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipeTypesTest {
  public static final class Echo implements Pipe<String, NoParams, PipeContext> {
    @Override
    public String apply(PipeInputs<String> inputs, NoParams params, PipeContext context) {
      return inputs.only();
    }
  }

  public static final class Upper implements Pipe<String, NoParams, PipeContext> {
    @Override
    public String apply(PipeInputs<String> inputs, NoParams params, PipeContext context) {
      return inputs.only().toUpperCase(java.util.Locale.ROOT);
    }
  }

  public abstract static class AbstractPipe implements Pipe<String, NoParams, PipeContext> {}

  static final class PackagePrivatePipe implements Pipe<String, NoParams, PipeContext> {
    @Override
    public String apply(PipeInputs<String> inputs, NoParams params, PipeContext context) {
      return "";
    }
  }

  public final class InnerPipe implements Pipe<String, NoParams, PipeContext> {
    @Override
    public String apply(PipeInputs<String> inputs, NoParams params, PipeContext context) {
      return "";
    }
  }

  /** A platform's narrower pipe type, like {@code SparkPipe}. */
  public interface PlatformPipe extends Pipe<String, NoParams, PipeContext> {}

  public static final class OnPlatform implements PlatformPipe {
    @Override
    public String apply(PipeInputs<String> inputs, NoParams params, PipeContext context) {
      return "";
    }
  }

  private static final ClassLoader LOADER = PipeTypesTest.class.getClassLoader();

  private static PipeTypes types() {
    return PipeTypes.of(List.of(PipeRegistration.of("upper", Upper.class), PipeRegistration.of("echo", Echo.class)),
        LOADER, Pipe.class);
  }

  @Test
  void resolvesAliasesAndClassNames() {
    PipeTypes types = types();

    assertThat(types.aliases()).containsExactly("echo", "upper");
    assertThat(types.resolve("upper")).isEqualTo(Upper.class);
    assertThat(types.resolve(Echo.class.getName())).isEqualTo(Echo.class);
    assertThat(types.requiredType()).isEqualTo(Pipe.class);
    assertThat(types.registrations()).extracting(PipeRegistration::pipeClass).containsExactly(Echo.class, Upper.class);
  }

  @Test
  void reportsAnUnknownAliasWithSuggestion() {
    assertThatThrownBy(() -> types().resolve("uper"))
        .isInstanceOf(DdpException.class)
        .satisfies(e -> assertThat(normalized(e.getMessage())).isEqualTo(normalized(
            "unknown transformerType 'uper' (did you mean 'upper'?); use a registered alias (echo, upper)"
                + " or a fully qualified class name")));
    assertThatThrownBy(() -> PipeTypes.of(List.of(), LOADER, Pipe.class).resolve("upper"))
        .hasMessage("unknown transformerType 'upper'; use a registered alias (none registered) or a fully qualified class name");
  }

  @Test
  void reportsClassesThatCannotBePipes() {
    PipeTypes types = types();

    assertThatThrownBy(() -> types.resolve("org.example.Missing"))
        .hasMessage("class 'org.example.Missing' is not on the class path; add the jar that holds it"
            + " (spark-submit --jars, or DDP_CLASSPATH for ./ddp)");
    // The package is there, the class is misspelt: say so, and offer the pipe classes that are there.
    assertThatThrownBy(() -> types.resolve("com.example.pipes.TopWord"))
        .hasMessage("no class named 'com.example.pipes.TopWord' in package com.example.pipes (did you mean"
            + " 'com.example.pipes.TopWords'?); its pipe classes are TopWords, WordCount; registered aliases: echo, upper");
    assertThatThrownBy(() -> types.resolve("java.lang.String"))
        .hasMessage("'java.lang.String' is java.lang.String, which does not implement io.ddp.core.pipe.Pipe; a pipe implements Pipe");
    String abstractName = AbstractPipe.class.getName();
    assertThatThrownBy(() -> types.resolve(abstractName))
        .hasMessage("'" + abstractName + "' is " + abstractName + ", which is abstract; name a concrete pipe class");
    String interfaceName = PlatformPipe.class.getName();
    assertThatThrownBy(() -> types.resolve(interfaceName))
        .hasMessage("'" + interfaceName + "' is " + interfaceName + ", which is abstract; name a concrete pipe class");
    String hiddenName = PackagePrivatePipe.class.getName();
    assertThatThrownBy(() -> types.resolve(hiddenName))
        .hasMessage("'" + hiddenName + "' is " + hiddenName + ", which is not public; make the class public");
    String innerName = InnerPipe.class.getName();
    assertThatThrownBy(() -> types.resolve(innerName))
        .hasMessage("'" + innerName + "' is " + innerName + ", an inner class; make it static");
  }

  @Test
  void requiresThePlatformsPipeType() {
    PipeTypes types = PipeTypes.of(List.of(PipeRegistration.of("upper", Upper.class)), LOADER, PlatformPipe.class);

    assertThat(types.resolve(OnPlatform.class.getName())).isEqualTo(OnPlatform.class);
    assertThatThrownBy(() -> types.resolve("upper"))
        .hasMessage("'upper' is " + Upper.class.getName() + ", which does not implement " + PlatformPipe.class.getName()
            + "; a pipe implements PlatformPipe");
  }

  @Test
  void refusesOneAliasForTwoClasses() {
    assertThatThrownBy(() -> PipeTypes.of(
            List.of(PipeRegistration.of("p", Upper.class), PipeRegistration.of("p", Echo.class)), LOADER, Pipe.class))
        .isInstanceOf(DdpException.class)
        .hasMessage("Cannot register pipe alias 'p' twice: " + Upper.class.getName() + " and " + Echo.class.getName()
            + " both claim it; rename one in its PipeProvider");
    assertThat(PipeTypes.of(List.of(PipeRegistration.of("p", Upper.class), PipeRegistration.of("p", Upper.class)), LOADER,
        Pipe.class).aliases()).containsExactly("p");
  }

  @Test
  void validatesRegistrations() {
    assertThatThrownBy(() -> PipeRegistration.of("1bad alias", Upper.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot register pipe alias '1bad alias': use letters, digits, '_', '-' and '.', starting with a letter");
    assertThatThrownBy(() -> PipeRegistration.of("str", String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot register pipe alias 'str': java.lang.String does not implement io.ddp.core.pipe.Pipe");
    assertThat(PipeRegistration.of("ok", Upper.class).description()).isEmpty();
  }

  @Test
  void loadsRegistrationsFromProviders() {
    PipeTypes types = PipeTypes.load(LOADER, Pipe.class);

    assertThat(types.aliases()).contains("test.echo");
    assertThat(types.resolve("test.echo")).isEqualTo(Echo.class);
    assertThat(types.registrations()).filteredOn(r -> r.alias().equals("test.echo"))
        .extracting(PipeRegistration::description).containsExactly("Returns its only input");
  }
}
