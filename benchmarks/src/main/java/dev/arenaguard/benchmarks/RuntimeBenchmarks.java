package dev.arenaguard.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the runtime benchmarks in one JMH run and prints the ratio tables of {@code
 * docs/PERFORMANCE.md}. Arguments are JMH's own ({@code -h} lists them) and override the defaults:
 * every runtime benchmark, the settings of their annotations (1 fork, 3 × 1 s warmup, 5 × 1 s
 * measurement) and {@code -prof gc}. The Markdown goes to standard output and to {@code
 * target/runtime-benchmarks.md}, JMH's JSON to {@code target/runtime-benchmarks.json}.
 */
public final class RuntimeBenchmarks {
  private RuntimeBenchmarks() {}

  public static void main(String[] args)
      throws CommandLineOptionException, RunnerException, IOException {
    CommandLineOptions cmd = new CommandLineOptions(args);
    if (cmd.shouldHelp()) {
      cmd.showHelp();
      return;
    }
    Path target = Path.of(System.getProperty("benchmarks.target", "benchmarks/target"));
    Files.createDirectories(target);
    String markdown = new RuntimeReport(run(cmd, target.resolve("runtime-benchmarks.json"))).markdown();
    Files.writeString(target.resolve("runtime-benchmarks.md"), markdown);
    System.out.println();
    System.out.print(markdown);
  }

  /** Runs JMH with {@code overrides} over this module's defaults. */
  static Collection<RunResult> run(Options overrides, Path json) throws RunnerException {
    ChainedOptionsBuilder b = new OptionsBuilder().parent(overrides);
    if (overrides.getIncludes().isEmpty()) {
      b.include("dev\\.arenaguard\\.benchmarks\\.(" + String.join("|", RuntimeReport.CLASSES) + ")\\.");
    }
    if (overrides.getProfilers().isEmpty()) {
      b.addProfiler("gc");
    }
    if (!overrides.getResult().hasValue() && json != null) {
      b.resultFormat(ResultFormatType.JSON).result(json.toString());
    }
    return new Runner(b.build()).run();
  }
}
