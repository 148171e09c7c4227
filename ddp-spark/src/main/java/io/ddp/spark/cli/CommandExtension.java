package io.ddp.spark.cli;

/**
 * A {@code ddp} subcommand contributed by a module on the class path (for example {@code ddp studio}
 * from ddp-studio), found with {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/io.ddp.spark.cli.CommandExtension}. Keeps ddp-spark free of the modules
 * that build on it.
 */
public interface CommandExtension {
  /** A new picocli command object (annotated with {@code @Command(name = ...)}). */
  Object command();
}
