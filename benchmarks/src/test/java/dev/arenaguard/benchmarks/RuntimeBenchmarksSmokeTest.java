package dev.arenaguard.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every runtime benchmark once, briefly and in this JVM, as {@code RuntimeBenchmarks} would
 * in a real run: each must complete (JMH fails the run on a benchmark's exception) and give a
 * positive score, and the report must fill every cell. It measures nothing: the numbers of a
 * 20 ms iteration without warmup or fork mean nothing.
 */
class RuntimeBenchmarksSmokeTest {

  @Test
  void everyBenchmarkRunsAndTheReportIsComplete() throws Exception {
    // JMH's machine-wide lock keeps two measurements apart; this run measures nothing, so a
    // benchmark running beside the build (seen on a shared machine) must not fail it.
    System.setProperty("jmh.ignoreLock", "true");
    Collection<RunResult> results =
        RuntimeBenchmarks.run(
            new OptionsBuilder()
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(20))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build(),
            null);

    RuntimeReport report = new RuntimeReport(results);
    Map<String, RuntimeReport.Score> scores = report.scores();
    // interleaved: 3 sizes, 1 lifecycle, 1 bursty; 9 allocators × 3 sizes; 2 × 2 × 2 × 3 epoch
    // ends + the timer + 2 × 3 cold resets; 12 lifecycles; 6 × 2 scope closes; 2 segment creations.
    assertEquals(3 + 1 + 1 + 27 + 25 + 6 + 12 + 12 + 2, scores.size(), scores.keySet().toString());
    scores.forEach(
        (name, s) -> assertTrue(s.score() > 0 && Double.isFinite(s.score()), name + ": " + s));
    assertTrue(
        scores.containsKey("ResetBenchmark.reset{allocations=1000000, kind=shared, retain=all}"),
        scores.keySet().toString());

    String markdown = report.markdown();
    for (String line : markdown.split("\n")) {
      if (line.startsWith("| ") && !line.startsWith("|---")) {
        for (String cell : line.split("\\|")) {
          assertFalse(cell.strip().equals("–"), "a cell without a result: " + line);
        }
      }
    }
    assertTrue(markdown.contains("### Allocation"), markdown);
    assertTrue(markdown.contains("### Request lifecycle"), markdown);
    assertTrue(markdown.contains("### Bursty requests"), markdown);
    assertTrue(markdown.contains("### Allocation against `slicingAllocator`, interleaved"), markdown);
  }
}
