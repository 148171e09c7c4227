package io.ddp.spark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ddp} command line. Exit codes everywhere: 0 success, 2 invalid declaration or usage
 * (nothing was run), 1 runtime failure.
 */
@Command(name = "ddp", mixinStandardHelpOptions = true, versionProvider = DdpCommand.Version.class,
    subcommands = {ValidateCommand.class, PlanCommand.class, RunCommand.class, ShowCommand.class, VizCommand.class, PipesCommand.class,
        DescribeCommand.class, NewCommand.class},
    description = {"DDP: declarative data pipelines on Apache Spark.", "",
        "Exit codes: 0 success, 2 invalid declaration or usage (nothing was run), 1 runtime failure."},
    footer = {"", "Run 'ddp COMMAND --help' for a command's options."})
public final class DdpCommand implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_INVALID = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: use one of "
        + String.join(", ", spec.subcommands().keySet()) + " (ddp --help says what each does)");
  }

  /** Records when {@code main} started, for {@code ddp run --timings}. */
  public static void markMainStarted() {
    Timings.mainStartedMillis = System.currentTimeMillis();
  }

  /** A command line with DDP's exit codes and error reporting. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new DdpCommand());
    for (CommandExtension extension : java.util.ServiceLoader.load(CommandExtension.class, DdpCommand.class.getClassLoader())) {
      cli.addSubcommand(extension.command());
    }
    cli.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? EXIT_INVALID : EXIT_FAILED);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      boolean userError = e instanceof io.ddp.core.exceptions.DdpException;
      commandLine.getErr().println("ddp " + commandLine.getCommandName() + ": "
          + (userError ? e.getMessage() : e.toString()));
      if (!userError) {
        e.printStackTrace(commandLine.getErr());
      }
      commandLine.getErr().flush();
      return EXIT_FAILED;
    });
    return cli;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = DdpCommand.class.getPackage().getImplementationVersion();
      return new String[] {"ddp " + (v == null ? "(development build)" : v)};
    }
  }
}
