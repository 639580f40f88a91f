package dev.arenaguard.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
 * Runs the runtime benchmarks and prints the ratio tables of {@code docs/PERFORMANCE.md}.
 * Arguments are JMH's own ({@code -h} lists them) and override the defaults: every runtime
 * benchmark, the settings of their annotations (1 fork, 3 × 1 s warmup, 5 × 1 s measurement) and
 * {@code -prof gc} with the {@link CpuTimeProfiler}; and {@code --rounds N}, which runs the whole selection N times in turn, so that
 * the two sides of each ratio ran close together in time even on a machine whose load changes, and
 * reports per-round ratios as a median and a range. The Markdown goes to standard output and to
 * {@code target/runtime-benchmarks.md}, JMH's JSON to {@code target/runtime-benchmarks[-N].json}.
 */
public final class RuntimeBenchmarks {
  private RuntimeBenchmarks() {}

  public static void main(String[] args)
      throws CommandLineOptionException, RunnerException, IOException {
    int rounds = 1;
    List<String> jmhArgs = new ArrayList<>(List.of(args));
    int at = jmhArgs.indexOf("--rounds");
    if (at >= 0) {
      rounds = Integer.parseInt(jmhArgs.get(at + 1));
      jmhArgs.subList(at, at + 2).clear();
    }
    CommandLineOptions cmd = new CommandLineOptions(jmhArgs.toArray(String[]::new));
    if (cmd.shouldHelp()) {
      System.out.println("--rounds N: run everything N times, interleaved; report medians and ranges");
      cmd.showHelp();
      return;
    }
    Path target = Path.of(System.getProperty("benchmarks.target", "benchmarks/target"));
    Files.createDirectories(target);
    List<Collection<RunResult>> results = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      String before = load();
      String json = rounds == 1 ? "runtime-benchmarks.json" : "runtime-benchmarks-" + round + ".json";
      results.add(run(cmd, target.resolve(json)));
      notes.add(String.format("round %d: load average %s before, %s after", round, before, load()));
    }
    String markdown = new RuntimeReport(results, notes).markdown();
    Files.writeString(target.resolve("runtime-benchmarks.md"), markdown);
    System.out.println();
    System.out.print(markdown);
  }

  /** The 1-minute load average of the machine (Linux), to say how busy it was. */
  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** Runs JMH with {@code overrides} over this module's defaults. */
  static Collection<RunResult> run(Options overrides, Path json) throws RunnerException {
    ChainedOptionsBuilder b = new OptionsBuilder().parent(overrides);
    if (overrides.getIncludes().isEmpty()) {
      b.include("dev\\.arenaguard\\.benchmarks\\.(" + String.join("|", RuntimeReport.CLASSES) + ")\\.");
    }
    if (overrides.getProfilers().isEmpty()) {
      b.addProfiler("gc");
      b.addProfiler(CpuTimeProfiler.class);
    }
    if (!overrides.getResult().hasValue() && json != null) {
      b.resultFormat(ResultFormatType.JSON).result(json.toString());
    }
    return new Runner(b.build()).run();
  }
}
