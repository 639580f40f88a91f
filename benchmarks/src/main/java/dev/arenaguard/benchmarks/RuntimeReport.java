package dev.arenaguard.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * Turns one JMH run of the runtime benchmarks into the Markdown tables of {@code
 * docs/PERFORMANCE.md}: scores with JMH's error (99.9% confidence interval), and ratios against the
 * baselines of the same run. A ratio's error is the sum of its two relative errors, a worst-case
 * bound. A benchmark that did not run shows as "–".
 */
final class RuntimeReport {
  /** A score and its error; {@code allocNorm} is {@code gc.alloc.rate.norm} (heap bytes per op). */
  record Score(double score, double error, double allocNorm, double p50, double p90) {}

  private static final String PACKAGE = "dev.arenaguard.benchmarks.";

  private final Map<String, Score> scores = new TreeMap<>();
  private BenchmarkParams anyParams;

  RuntimeReport(Collection<RunResult> results) {
    for (RunResult r : results) {
      BenchmarkParams p = r.getParams();
      anyParams = p;
      Map<String, String> params = new TreeMap<>();
      for (String k : p.getParamsKeys()) {
        params.put(k, p.getParam(k));
      }
      Result<?> primary = r.getPrimaryResult();
      Result<?> norm = r.getSecondaryResults().get("gc.alloc.rate.norm");
      scores.put(
          key(p.getBenchmark().substring(PACKAGE.length()), params),
          new Score(
              primary.getScore(),
              primary.getScoreError(),
              norm == null ? Double.NaN : norm.getScore(),
              primary.getStatistics().getPercentile(50),
              primary.getStatistics().getPercentile(90)));
    }
  }

  /** The scores, keyed as {@code Class.method[param=value,...]} (parameters sorted by name). */
  Map<String, Score> scores() {
    return scores;
  }

  static String key(String benchmark, Map<String, String> params) {
    return params.isEmpty() ? benchmark : benchmark + new TreeMap<>(params);
  }

  private Score get(String benchmark, String... keyValues) {
    Map<String, String> params = new TreeMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      params.put(keyValues[i], keyValues[i + 1]);
    }
    return scores.get(key(benchmark, params));
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    out.append(header());
    allocation(out);
    reset(out);
    lifecycle(out);
    scopeClose(out);
    segmentCreation(out);
    return out.toString();
  }

  private String header() {
    if (anyParams == null) {
      return "No results.\n";
    }
    return String.format(
        Locale.ROOT,
        "Run of %s on %s (%d cores), JDK %s (%s), JMH %s: %d fork(s), %d × %s warmup, %d × %s"
            + " measurement. ± is JMH's 99.9%% confidence interval; a ratio's ± is the sum of the"
            + " relative errors of its two scores.%n%n",
        LocalDate.now(),
        cpuModel(),
        Runtime.getRuntime().availableProcessors(),
        anyParams.getJdkVersion(),
        anyParams.getVmVersion(),
        anyParams.getJmhVersion(),
        anyParams.getForks(),
        anyParams.getWarmup().getCount(),
        anyParams.getWarmup().getTime(),
        anyParams.getMeasurement().getCount(),
        anyParams.getMeasurement().getTime());
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }

  // ---- tables

  private static final String[] SIZES = {"16", "64", "512"};

  private void allocation(StringBuilder out) {
    String b = "AllocationBenchmark.";
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("slicing", "slicing (no zeroing)");
    columns.put("slicingZeroed", "slicing + zeroing");
    columns.put("arenaGuardConfinedNoZero", "arena-guard confined, no zeroing");
    columns.put("arenaGuardConfined", "arena-guard confined");
    columns.put("arenaGuardConfinedBare", "arena-guard confined, no zeroing, no watchdog");
    columns.put("arenaGuardSharedNoZero", "arena-guard shared, no zeroing");
    columns.put("arenaGuardShared", "arena-guard shared");
    columns.put("jdkConfinedArena", "`Arena.ofConfined()`");
    columns.put("heapByteArray", "`new byte[]`");
    out.append("### Allocation (ns per allocation, freeing included)\n\n| size |");
    columns.values().forEach(c -> out.append(' ').append(c).append(" |"));
    out.append("\n|---|").append("---:|".repeat(columns.size())).append('\n');
    for (String size : SIZES) {
      out.append("| ").append(size).append(" B |");
      for (String m : columns.keySet()) {
        out.append(' ').append(ns(get(b + m, "size", size))).append(" |");
      }
      out.append('\n');
    }
    out.append("\nHeap bytes allocated per allocation (`gc.alloc.rate.norm`): ");
    for (String size : SIZES) {
      out.append(
          String.format(
              Locale.ROOT,
              "%s B: arena-guard confined %s, shared %s, `Arena.ofConfined()` %s, `new byte[]` %s; ",
              size,
              bytes(get(b + "arenaGuardConfined", "size", size)),
              bytes(get(b + "arenaGuardShared", "size", size)),
              bytes(get(b + "jdkConfinedArena", "size", size)),
              bytes(get(b + "heapByteArray", "size", size))));
    }
    out.setLength(out.length() - 2);
    out.append(".\n\n| size | confined no-zero ÷ slicing (target ≤ 1.5) | no zeroing, no watchdog ÷ slicing"
        + " | confined ÷ slicing+zeroing"
        + " | `Arena.ofConfined()` ÷ confined (target ≥ 10) | shared no-zero ÷ slicing"
        + " | `Arena.ofConfined()` ÷ shared | `new byte[]` ÷ confined |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String size : SIZES) {
      out.append("| ").append(size).append(" B | ")
          .append(ratio(get(b + "arenaGuardConfinedNoZero", "size", size), get(b + "slicing", "size", size)))
          .append(" | ")
          .append(ratio(get(b + "arenaGuardConfinedBare", "size", size), get(b + "slicing", "size", size)))
          .append(" | ")
          .append(ratio(get(b + "arenaGuardConfined", "size", size), get(b + "slicingZeroed", "size", size)))
          .append(" | ")
          .append(ratio(get(b + "jdkConfinedArena", "size", size), get(b + "arenaGuardConfined", "size", size)))
          .append(" | ")
          .append(ratio(get(b + "arenaGuardSharedNoZero", "size", size), get(b + "slicing", "size", size)))
          .append(" | ")
          .append(ratio(get(b + "jdkConfinedArena", "size", size), get(b + "arenaGuardShared", "size", size)))
          .append(" | ")
          .append(ratio(get(b + "heapByteArray", "size", size), get(b + "arenaGuardConfined", "size", size)))
          .append(" |\n");
    }
    out.append('\n');
  }

  private static final String[] COUNTS = {"10", "1000", "1000000"};

  private void reset(StringBuilder out) {
    String b = "ResetBenchmark.";
    Score overhead = get(b + "timerOverhead");
    out.append("### Ending an epoch after N allocations of 16 bytes (ns, median of every timed call)\n\n")
        .append("Each cell: median [90th percentile]. Timer overhead of timing each call (`timerOverhead`,"
            + " included in every cell): ")
        .append(percentiles(overhead))
        .append(" ns; \"net\" subtracts it.\n\n")
        .append("| operation | arena | retained on reset | N = 10 | N = 1,000 | N = 1,000,000"
            + " | 10⁶ ÷ 10 (target ≤ 2) | net 10⁶ ÷ 10 |\n|---|---|---|---:|---:|---:|---:|---:|\n");
    for (String method : new String[] {"reset", "phaseClose"}) {
      for (String kind : new String[] {"confined", "shared"}) {
        for (String retain : new String[] {"default", "all"}) {
          String operation = method.equals("reset") ? "`reset()`" : "`phase().close()`";
          resetRow(out, operation, kind, retain, overhead, b + method, "kind", kind);
        }
      }
    }
    for (String retain : new String[] {"default", "all"}) {
      resetRow(out, "`reset()`, caches evicted first", "confined", retain, overhead, b + "resetCold");
    }
    out.append('\n');
  }

  /** One row of the epoch-end table: the benchmark's scores at every N, and the ratios. */
  private void resetRow(
      StringBuilder out, String operation, String kind, String retain, Score overhead, String benchmark,
      String... params) {
    Score[] s = new Score[COUNTS.length];
    for (int i = 0; i < COUNTS.length; i++) {
      String[] keyValues = new String[params.length + 4];
      System.arraycopy(params, 0, keyValues, 0, params.length);
      keyValues[params.length] = "allocations";
      keyValues[params.length + 1] = COUNTS[i];
      keyValues[params.length + 2] = "retain";
      keyValues[params.length + 3] = retain;
      s[i] = get(benchmark, keyValues);
    }
    out.append("| ").append(operation)
        .append(" | ").append(kind)
        .append(" | ").append(retain.equals("all") ? "all chunks" : "256 KiB (default)")
        .append(" | ").append(percentiles(s[0]))
        .append(" | ").append(percentiles(s[1]))
        .append(" | ").append(percentiles(s[2]))
        .append(" | ").append(medianRatio(s[2], s[0]))
        .append(" | ").append(medianRatio(minus(s[2], overhead), minus(s[0], overhead)))
        .append(" |\n");
  }

  private void lifecycle(StringBuilder out) {
    String b = "LifecycleBenchmark.";
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("arenaGuardPhase", "arena-guard confined, `phase()` per request");
    rows.put("arenaGuardPhaseNoZero", "arena-guard confined, `phase()` per request, no zeroing");
    rows.put("arenaGuardPool", "arena-guard `ArenaPool` lease per request");
    rows.put("arenaGuardPoolNoWatchdog", "arena-guard `ArenaPool` lease per request, no watchdog");
    rows.put("arenaGuardReset", "arena-guard confined, `reset()` per request");
    rows.put("arenaGuardSharedPhase", "arena-guard shared, `phase()` per request");
    rows.put("arenaGuardSharedReset", "arena-guard shared, `reset()` per request");
    rows.put("jdkConfinedArena", "fresh `Arena.ofConfined()` per request (baseline)");
    rows.put("jdkSharedArena", "fresh `Arena.ofShared()` per request");
    rows.put("slicing", "slicing allocator over one slab (unsafe lower bound)");
    Score base = get(b + "jdkConfinedArena");
    table(
        out,
        "### Request lifecycle (100 allocations of mixed sizes, each touched, then released)\n\n"
            + "| variant | ns per request | throughput ÷ `Arena.ofConfined()` (target ≥ 5"
            + " for phase and pool) |\n|---|---:|---:|\n",
        rows,
        m -> List.of(ns(get(b + m)), ratio(base, get(b + m))));
  }

  private void scopeClose(StringBuilder out) {
    String b = "ScopeCloseBenchmark.";
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("jdkConfinedOpenClose", "JDK `Arena.ofConfined()`: open, allocate, close");
    rows.put("jdkSharedOpenClose", "JDK `Arena.ofShared()`: open, allocate, close");
    rows.put("confinedPhase", "arena-guard confined: `phase()`, allocate, close");
    rows.put("sharedPhase", "arena-guard shared: `phase()` (per-thread, confined), allocate, close");
    rows.put("confinedReset", "arena-guard confined: allocate, `reset()`");
    rows.put("sharedReset", "arena-guard shared: allocate, `reset()` (shared scope)");
    table(
        out,
        "### Ending an epoch of one allocation: confined vs shared scopes (ns)\n\n"
            + "| operation | no other threads | 200 parked threads |\n|---|---:|---:|\n",
        rows,
        m -> List.of(ns(get(b + m, "parkedThreads", "0")), ns(get(b + m, "parkedThreads", "200"))));
    out.append(
        String.format(
            Locale.ROOT,
            "shared `reset()` ÷ shared `phase()`: %s with no other threads, %s with 200.%n%n",
            ratio(get(b + "sharedReset", "parkedThreads", "0"), get(b + "sharedPhase", "parkedThreads", "0")),
            ratio(get(b + "sharedReset", "parkedThreads", "200"), get(b + "sharedPhase", "parkedThreads", "200"))));
  }

  private void segmentCreation(StringBuilder out) {
    String b = "SegmentCreationBenchmark.";
    Score reinterpret = get(b + "reinterpretAddress");
    Score slice = get(b + "sliceScopedChunk");
    out.append("### Making a 16-byte segment in an epoch's scope (ns)\n\n")
        .append("| `ofAddress(a).reinterpret(16, scope, null)` (the runtime, per allocation)"
            + " | `scopedChunk.asSlice(off, 16)` (chunk re-scoped once per epoch) | ratio |\n")
        .append("|---:|---:|---:|\n| ")
        .append(ns(reinterpret)).append(" | ").append(ns(slice)).append(" | ")
        .append(ratio(reinterpret, slice)).append(" |\n\n");
  }

  /** A table of one row per benchmark method: its label, then its {@code cells}. */
  private static void table(
      StringBuilder out, String header, Map<String, String> labels, Function<String, List<String>> cells) {
    out.append(header);
    labels.forEach(
        (method, label) -> out.append("| ").append(label).append(" | ")
            .append(String.join(" | ", cells.apply(method))).append(" |\n"));
    out.append('\n');
  }

  // ---- formatting

  private static Score minus(Score a, Score b) {
    if (a == null || b == null) {
      return null;
    }
    return new Score(a.p50 - b.p50, Double.NaN, Double.NaN, a.p50 - b.p50, a.p90 - b.p90);
  }

  static String ns(Score s) {
    if (s == null) {
      return "–";
    }
    return number(s.score) + (Double.isFinite(s.error) ? " ± " + number(s.error) : "");
  }

  private static String percentiles(Score s) {
    return s == null ? "–" : number(s.p50) + " [" + number(s.p90) + "]";
  }

  private static String medianRatio(Score a, Score b) {
    if (a == null || b == null) {
      return "–";
    }
    return a.p50 <= 0 || b.p50 <= 0 ? "below the timer overhead" : ratioNumber(a.p50 / b.p50);
  }

  private static String number(double v) {
    double a = Math.abs(v);
    String f = a >= 1000 ? "%,.0f" : a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f";
    return String.format(Locale.ROOT, f, v);
  }

  private static String bytes(Score s) {
    return s == null || !Double.isFinite(s.allocNorm)
        ? "–"
        : String.format(Locale.ROOT, "%.0f", s.allocNorm);
  }

  static String ratio(Score a, Score b) {
    if (a == null || b == null || b.score <= 0 || a.score <= 0) {
      return "–";
    }
    double r = a.score / b.score;
    if (!Double.isFinite(a.error) || !Double.isFinite(b.error)) {
      return ratioNumber(r);
    }
    double e = r * (a.error / a.score + b.error / b.score);
    return String.format(Locale.ROOT, "%s (± %s)", ratioNumber(r), ratioNumber(e));
  }

  private static String ratioNumber(double r) {
    return String.format(Locale.ROOT, r >= 100 ? "%,.0f" : r >= 10 ? "%.1f" : "%.2f", r);
  }

  /** Names the benchmark classes this report covers (for the default include pattern). */
  static final List<String> CLASSES =
      List.of(
          "AllocationBenchmark",
          "ResetBenchmark",
          "LifecycleBenchmark",
          "ScopeCloseBenchmark",
          "SegmentCreationBenchmark");
}
