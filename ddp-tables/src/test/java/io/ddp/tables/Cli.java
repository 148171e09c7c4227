package io.ddp.tables;

import io.ddp.spark.cli.DdpCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code ddp} command line in this JVM (on the shared session) and keeps what it printed. */
record Cli(int code, String out, String err) {
  static Cli ddp(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = DdpCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Cli(code, out.toString(), err.toString());
  }
}
