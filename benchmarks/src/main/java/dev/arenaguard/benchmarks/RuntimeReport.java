package dev.arenaguard.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * Turns JMH runs of the runtime benchmarks into the Markdown tables of {@code docs/PERFORMANCE.md}:
 * scores, and ratios against the baselines of the same run. A score is CPU time per operation
 * ({@link CpuTimeProfiler}: a wall-clock score on a loaded machine measures the wait for a core),
 * or JMH's primary score where that profiler did not run; the latency tables give percentiles of
 * every timed call, wall-clock as latency is.
 *
 * <p>One run: scores with JMH's error (99.9% confidence interval); a ratio's error is the sum of
 * its two relative errors, a worst-case bound. Several <em>rounds</em> (the whole set of
 * benchmarks run again and again, so that each comparison's two sides ran minutes apart, not an
 * hour): every score is the median of its rounds, and every ratio is the median of the per-round
 * ratios with their range in brackets — the range is how noisy the machine was. A benchmark that
 * did not run shows as "–".
 */
final class RuntimeReport {
  /**
   * A score and its error; {@code allocNorm} is {@code gc.alloc.rate.norm} (heap bytes per op);
   * percentiles of every timed call for sample-time benchmarks.
   */
  record Score(
      double score,
      double error,
      double allocNorm,
      double p50,
      double p90,
      double p99,
      double p999,
      double max) {}

  private static final String PACKAGE = "dev.arenaguard.benchmarks.";

  /** Each benchmark's scores, one per round. */
  private final Map<String, List<Score>> rounds = new TreeMap<>();

  /**
   * The interleaved benchmarks' counters ({@code @AuxCounters}), per benchmark and counter: one
   * value per measurement iteration, of every round. Iteration by iteration, because the variants
   * of one iteration ran at the same moments.
   */
  private final Map<String, Map<String, List<Double>>> counters = new TreeMap<>();

  private final List<String> roundNotes;
  private BenchmarkParams anyParams;

  RuntimeReport(Collection<RunResult> results) {
    this(List.of(results), List.of());
  }

  /** {@code notes}: one line per round, e.g. the machine's load while it ran. */
  RuntimeReport(List<? extends Collection<RunResult>> runs, List<String> notes) {
    this.roundNotes = notes;
    for (Collection<RunResult> run : runs) {
      for (RunResult r : run) {
        BenchmarkParams p = r.getParams();
        anyParams = p;
        Map<String, String> params = new TreeMap<>();
        for (String k : p.getParamsKeys()) {
          params.put(k, p.getParam(k));
        }
        Result<?> primary = r.getPrimaryResult();
        Result<?> norm = r.getSecondaryResults().get("gc.alloc.rate.norm");
        String benchmark = key(p.getBenchmark().substring(PACKAGE.length()), params);
        for (BenchmarkResult fork : r.getBenchmarkResults()) {
          for (IterationResult it : fork.getIterationResults()) {
            it.getSecondaryResults()
                .forEach(
                    (name, value) ->
                        counters
                            .computeIfAbsent(benchmark, k -> new TreeMap<>())
                            .computeIfAbsent(name, k -> new ArrayList<>())
                            .add(value.getScore()));
          }
        }
        // CPU time per operation, but not for a sample-time (latency) benchmark: its invocation
        // setup's work would count
        Result<?> cpu =
            p.getMode() == Mode.SampleTime ? null : r.getSecondaryResults().get("cpu.time.norm");
        Statistics st = primary.getStatistics();
        rounds
            .computeIfAbsent(key(p.getBenchmark().substring(PACKAGE.length()), params), k -> new ArrayList<>())
            .add(
                new Score(
                    // the median iteration: one that ran before the JIT compiled JMH's loop (late,
                    // on a loaded machine) does not count
                    cpu != null ? cpu.getStatistics().getPercentile(50) : primary.getScore(),
                    cpu != null ? Double.NaN : primary.getScoreError(),
                    norm == null ? Double.NaN : norm.getScore(),
                    st.getPercentile(50),
                    st.getPercentile(90),
                    st.getPercentile(99),
                    st.getPercentile(99.9),
                    st.getMax()));
      }
    }
  }

  /** The scores (medians of the rounds), keyed as {@code Class.method{param=value, ...}}. */
  Map<String, Score> scores() {
    Map<String, Score> all = new TreeMap<>();
    rounds.keySet().forEach(k -> all.put(k, median(rounds.get(k))));
    return all;
  }

  static String key(String benchmark, Map<String, String> params) {
    return params.isEmpty() ? benchmark : benchmark + new TreeMap<>(params);
  }

  private static String key(String benchmark, String... keyValues) {
    Map<String, String> params = new TreeMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      params.put(keyValues[i], keyValues[i + 1]);
    }
    return key(benchmark, params);
  }

  private Score get(String benchmark, String... keyValues) {
    List<Score> s = rounds.get(key(benchmark, keyValues));
    return s == null ? null : median(s);
  }

  private List<Score> perRound(String benchmark, String... keyValues) {
    return rounds.get(key(benchmark, keyValues));
  }

  /** The median of every field; the error is JMH's when there is one round, else none. */
  private static Score median(List<Score> s) {
    if (s.size() == 1) {
      return s.get(0);
    }
    return new Score(
        median(s, Score::score),
        Double.NaN,
        median(s, Score::allocNorm),
        median(s, Score::p50),
        median(s, Score::p90),
        median(s, Score::p99),
        median(s, Score::p999),
        median(s, Score::max));
  }

  private static double median(List<Score> s, ToDoubleFunction<Score> field) {
    return median(s.stream().mapToDouble(field).toArray());
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** Ratios measured one by one (per round, per iteration): their median and range. */
  private static String spread(double[] ratios) {
    double min = Arrays.stream(ratios).min().orElseThrow();
    double max = Arrays.stream(ratios).max().orElseThrow();
    return String.format(
        Locale.ROOT, "%s [%s–%s]", ratioNumber(median(ratios)), ratioNumber(min), ratioNumber(max));
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    out.append(header());
    interleavedAllocation(out);
    interleavedLifecycle(out);
    allocation(out);
    bursty(out);
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
    int n = rounds.values().stream().mapToInt(List::size).max().orElse(0);
    StringBuilder h = new StringBuilder();
    h.append(
        String.format(
            Locale.ROOT,
            "Run of %s on %s (%d cores), JDK %s (%s), JMH %s: %d round(s) of %d fork(s), %d × %s"
                + " warmup, %d × %s measurement. ",
            LocalDate.now(),
            cpuModel(),
            Runtime.getRuntime().availableProcessors(),
            anyParams.getJdkVersion(),
            anyParams.getVmVersion(),
            anyParams.getJmhVersion(),
            n,
            anyParams.getForks(),
            anyParams.getWarmup().getCount(),
            anyParams.getWarmup().getTime(),
            anyParams.getMeasurement().getCount(),
            anyParams.getMeasurement().getTime()));
    h.append(
        n == 1
            ? "± is JMH's 99.9% confidence interval; a ratio's ± is the sum of the relative errors"
                + " of its two scores.\n\n"
            : "Scores are medians of the rounds; a ratio is the median of the per-round ratios, its"
                + " range over the rounds in brackets.\n\n");
    for (String note : roundNotes) {
      h.append("- ").append(note).append('\n');
    }
    if (!roundNotes.isEmpty()) {
      h.append('\n');
    }
    return h.toString();
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
    out.append(
        ".\n\n| size | confined no-zero ÷ slicing (target ≤ 1.5) | no zeroing, no watchdog ÷ slicing"
            + " | confined ÷ slicing+zeroing | `Arena.ofConfined()` ÷ confined (target ≥ 10)"
            + " | shared no-zero ÷ slicing | `Arena.ofConfined()` ÷ shared | `new byte[]` ÷ confined"
            + " |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    String[][] ratios = {
      {"arenaGuardConfinedNoZero", "slicing"},
      {"arenaGuardConfinedBare", "slicing"},
      {"arenaGuardConfined", "slicingZeroed"},
      {"jdkConfinedArena", "arenaGuardConfined"},
      {"arenaGuardSharedNoZero", "slicing"},
      {"jdkConfinedArena", "arenaGuardShared"},
      {"heapByteArray", "arenaGuardConfined"},
    };
    for (String size : SIZES) {
      out.append("| ").append(size).append(" B |");
      for (String[] r : ratios) {
        out.append(' ').append(ratio(b + r[0], b + r[1], "size", size)).append(" |");
      }
      out.append('\n');
    }
    out.append('\n');
  }

  // ---- interleaved benchmarks: counters read iteration by iteration

  /**
   * An iteration is disturbed when its indicator (a median time) is more than this many times the
   * indicator's fastest iteration: on this shared machine whole seconds run every allocator about
   * 30 times slower, and what such an iteration measures is how slow the machine was. The tables
   * use the undisturbed iterations and say how many were left out.
   */
  static final double DISTURBED = 1.5;

  private List<Double> values(String benchmark, String name) {
    Map<String, List<Double>> c = counters.get(benchmark);
    return c == null ? null : c.get(name);
  }

  /** The iterations whose {@code indicator} counter shows no disturbance; null if it did not run. */
  private boolean[] undisturbed(String benchmark, String indicator) {
    List<Double> v = values(benchmark, indicator);
    if (v == null || v.isEmpty()) {
      return null;
    }
    double fastest = v.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    boolean[] keep = new boolean[v.size()];
    for (int i = 0; i < keep.length; i++) {
      keep[i] = v.get(i) <= DISTURBED * fastest;
    }
    return keep;
  }

  /** A counter's values in the iterations {@code keep} selects. */
  private double[] kept(String benchmark, String name, boolean[] keep) {
    List<Double> v = values(benchmark, name);
    if (v == null || keep == null || v.size() != keep.length) {
      return new double[0];
    }
    return IntStream.range(0, keep.length).filter(i -> keep[i]).mapToDouble(v::get).toArray();
  }

  /** The median of a counter over the iterations its {@code indicator} finds undisturbed. */
  private String counterNs(String benchmark, String name, String indicator) {
    double[] v = kept(benchmark, name, undisturbed(benchmark, indicator));
    return v.length == 0 ? "–" : number(median(v));
  }

  private String counterNs(String benchmark, String name) {
    return counterNs(benchmark, name, name);
  }

  /**
   * {@code a ÷ b}, two counters of one interleaved benchmark, iteration by iteration: median
   * [range] of the iterations the baseline {@code b} finds undisturbed, and how many were not.
   */
  private String counterRatio(String benchmark, String a, String b) {
    boolean[] keep = undisturbed(benchmark, b);
    double[] as = kept(benchmark, a, keep);
    double[] bs = kept(benchmark, b, keep);
    if (as.length == 0 || as.length != bs.length) {
      return "–";
    }
    double[] r = new double[as.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = as[i] / bs[i];
    }
    int disturbed = keep.length - r.length;
    return spread(r) + (disturbed == 0 ? "" : " (" + disturbed + " of " + keep.length + " disturbed)");
  }

  private int iterations(String benchmark, String name) {
    List<Double> v = values(benchmark, name);
    return v == null ? 0 : v.size();
  }

  private void interleavedAllocation(StringBuilder out) {
    String b = "InterleavedAllocationBenchmark.inTurn";
    out.append(
        "### Allocation against `slicingAllocator`, interleaved (median batch time per allocation,"
            + " ns; medians of the undisturbed iterations)\n\n| size | slicing | arena-guard, no zeroing"
            + " | ÷ (target ≤ 1.5) | slicing held in a field | arena-guard ÷ it | slicing + zeroing"
            + " | arena-guard (zeroing) | ÷ | iterations |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String size : SIZES) {
      String k = key(b, "size", size);
      out.append("| ").append(size).append(" B | ")
          .append(counterNs(k, "slicing")).append(" | ")
          .append(counterNs(k, "arenaGuardNoZero")).append(" | ")
          .append(counterRatio(k, "arenaGuardNoZero", "slicing")).append(" | ")
          .append(counterNs(k, "slicingHeld")).append(" | ")
          .append(counterRatio(k, "arenaGuardNoZero", "slicingHeld")).append(" | ")
          .append(counterNs(k, "slicingZeroed")).append(" | ")
          .append(counterNs(k, "arenaGuard")).append(" | ")
          .append(counterRatio(k, "arenaGuard", "slicingZeroed")).append(" | ")
          .append(iterations(k, "slicing")).append(" |\n");
    }
    out.append('\n');
  }

  private void interleavedLifecycle(StringBuilder out) {
    String k = "InterleavedLifecycleBenchmark.inTurn";
    out.append(
        "### Request lifecycle against its floor, interleaved (median request time, ns)\n\n"
            + "| `phase()` per request | the floor: slicing + zeroing | `phase()` ÷ floor (target"
            + " ≤ 1.3) | fresh `Arena.ofConfined()` | `Arena.ofConfined()` ÷ `phase()` | debug mode"
            + " (default sampling) | debug ÷ `phase()` | iterations |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n| ")
        .append(counterNs(k, "arenaGuardPhase")).append(" | ")
        .append(counterNs(k, "slicingZeroed")).append(" | ")
        .append(counterRatio(k, "arenaGuardPhase", "slicingZeroed")).append(" | ")
        .append(counterNs(k, "jdkConfinedArena")).append(" | ")
        .append(counterRatio(k, "jdkConfinedArena", "arenaGuardPhase")).append(" | ")
        .append(counterNs(k, "arenaGuardPhaseDebug")).append(" | ")
        .append(counterRatio(k, "arenaGuardPhaseDebug", "arenaGuardPhase")).append(" | ")
        .append(iterations(k, "slicingZeroed")).append(" |\n\n");
  }

  private void bursty(StringBuilder out) {
    String k = "BurstyBenchmark.inTurn";
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("arenaGuard", "arena-guard confined, `reset()` per request (defaults: surplus back after 1 s)");
    rows.put("arenaGuardDecayNow", "arena-guard confined, `reset()` per request, surplus back at once");
    rows.put("jdk", "fresh `Arena.ofConfined()` per request");
    out.append(
        "### Bursty requests, interleaved: latency of each call (ns; requests alternate 64 × 256 B"
            + " and 64 × 128 KiB; percentiles: medians over the undisturbed iterations; max: the"
            + " largest in them)\n\n| allocator | allocation p50 | p99 | p99.9 | max | first allocation"
            + " after a large request, p50 | max | end of request p50 | p99 | p99.9 | max |\n"
            + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    // an iteration is disturbed when the JDK arena's median allocation is: all three ran interleaved
    boolean[] keep = undisturbed(k, "jdk_allocate_p50");
    rows.forEach(
        (allocator, label) -> {
          out.append("| ").append(label);
          for (String what : new String[] {"allocate", "first", "end"}) {
            String[] quantiles = what.equals("first") ? new String[] {"p50"} : new String[] {"p50", "p99", "p999"};
            for (String q : quantiles) {
              double[] v = kept(k, allocator + "_" + what + "_" + q, keep);
              out.append(" | ").append(v.length == 0 ? "–" : number(median(v)));
            }
            double[] max = kept(k, allocator + "_" + what + "_max", keep);
            out.append(" | ").append(max.length == 0 ? "–" : number(Arrays.stream(max).max().orElseThrow()));
          }
          out.append(" |\n");
        });
    long disturbed = keep == null ? 0 : IntStream.range(0, keep.length).filter(i -> !keep[i]).count();
    out.append('\n')
        .append(disturbed)
        .append(" of ")
        .append(keep == null ? 0 : keep.length)
        .append(" iterations disturbed.\n\n");
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
    rows.put("arenaGuardPhaseDebug", "arena-guard confined, `phase()` per request, debug mode (default sampling)");
    rows.put("arenaGuardPool", "arena-guard `ArenaPool` lease per request");
    rows.put("arenaGuardPoolNoWatchdog", "arena-guard `ArenaPool` lease per request, no watchdog");
    rows.put("arenaGuardReset", "arena-guard confined, `reset()` per request");
    rows.put("arenaGuardSharedPhase", "arena-guard shared, `phase()` per request");
    rows.put("arenaGuardSharedReset", "arena-guard shared, `reset()` per request");
    rows.put("jdkConfinedArena", "fresh `Arena.ofConfined()` per request");
    rows.put("jdkSharedArena", "fresh `Arena.ofShared()` per request");
    rows.put("slicingZeroed", "slicing allocator over one slab, zeroing (the floor)");
    rows.put("slicing", "slicing allocator over one slab, no zeroing");
    table(
        out,
        "### Request lifecycle (100 allocations of mixed sizes, each touched, then released)\n\n"
            + "| variant | ns per request | ÷ the floor (target ≤ 1.3 for the phase) |"
            + " `Arena.ofConfined()` ÷ variant |\n|---|---:|---:|---:|\n",
        rows,
        m ->
            List.of(
                ns(get(b + m)),
                ratio(b + m, b + "slicingZeroed"),
                ratio(b + "jdkConfinedArena", b + m)));
    out.append("Debug mode with its default sampling ÷ without: ")
        .append(ratio(b + "arenaGuardPhaseDebug", b + "arenaGuardPhase"))
        .append(".\n\n");
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
            ratio(b + "sharedReset", b + "sharedPhase", "parkedThreads", "0"),
            ratio(b + "sharedReset", b + "sharedPhase", "parkedThreads", "200")));
  }

  private void segmentCreation(StringBuilder out) {
    String b = "SegmentCreationBenchmark.";
    out.append("### Making a 16-byte segment in an epoch's scope (ns)\n\n")
        .append("| `ofAddress(a).reinterpret(16, scope, null)`"
            + " | `scopedChunk.asSlice(off, 16)` (chunk re-scoped once per epoch: the runtime) | ratio |\n")
        .append("|---:|---:|---:|\n| ")
        .append(ns(get(b + "reinterpretAddress"))).append(" | ").append(ns(get(b + "sliceScopedChunk")))
        .append(" | ").append(ratio(b + "reinterpretAddress", b + "sliceScopedChunk")).append(" |\n\n");
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
    double nan = Double.NaN;
    return new Score(a.p50 - b.p50, nan, nan, a.p50 - b.p50, a.p90 - b.p90, nan, nan, nan);
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

  /**
   * {@code a ÷ b}, both with the same parameters: with one round, the ratio and its worst-case
   * error; with several, the median of the per-round ratios and their range.
   */
  private String ratio(String a, String b, String... keyValues) {
    List<Score> as = perRound(a, keyValues);
    List<Score> bs = perRound(b, keyValues);
    if (as == null || bs == null) {
      return "–";
    }
    if (as.size() == 1 || as.size() != bs.size()) {
      return ratio(median(as), median(bs));
    }
    double[] r = new double[as.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = as.get(i).score() / bs.get(i).score();
    }
    return spread(r);
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
          "InterleavedAllocationBenchmark",
          "InterleavedLifecycleBenchmark",
          "AllocationBenchmark",
          "BurstyBenchmark",
          "ResetBenchmark",
          "LifecycleBenchmark",
          "ScopeCloseBenchmark",
          "SegmentCreationBenchmark");
}
