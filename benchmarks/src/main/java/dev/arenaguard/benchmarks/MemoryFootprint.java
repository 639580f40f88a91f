package dev.arenaguard.benchmarks;

import dev.arenaguard.runtime.ArenaListener;
import dev.arenaguard.runtime.ArenaPool;
import dev.arenaguard.runtime.ArenaRegistry;
import dev.arenaguard.runtime.BumpArena;
import dev.arenaguard.runtime.Phase;
import dev.arenaguard.runtime.RetentionWarning;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Memory over many requests, in two parts.
 *
 * <ol>
 *   <li><b>Flat:</b> the same {@link Request} run 1,000 and then 1,000,000 times, per-request memory
 *       released by a phase, a pool lease, or a reset (and, for comparison, a fresh JDK arena per
 *       request). Reserved bytes come from the arena's statistics, resident bytes from {@code
 *       VmRSS} in {@code /proc/self/status}; the ratio of the two readings should be ≤ 1.05. Each
 *       mode runs in a JVM of its own, after {@value #WARMUP} unmeasured requests (see {@link
 *       #inFreshJvm}).
 *   <li><b>The Meilisearch anti-pattern:</b> a long-lived arena that every request allocates into
 *       and nothing resets. Reserved and resident memory grow with every request until the retention
 *       watchdog reports the arena (at its default threshold, a million allocations).
 * </ol>
 *
 * <p>Run it with a fixed, pre-touched heap ({@code -Xms64m -Xmx64m -XX:+AlwaysPreTouch}, as
 * {@code benchmarks/memory.sh} does) so that resident memory is not the Java heap growing.
 * Arguments: {@code [first cycles] [last cycles] [anti-pattern requests]}, default {@code 1000
 * 1000000 12000}.
 */
public final class MemoryFootprint {
  private MemoryFootprint() {}

  /** How per-request memory is released. */
  enum Mode {
    PHASE("arena-guard confined arena, `phase()` per request"),
    POOL("arena-guard `ArenaPool`, one lease per request"),
    RESET("arena-guard confined arena, `reset()` after each request"),
    JDK_ARENA("fresh `Arena.ofConfined()` per request (JDK)");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  /**
   * A reading after {@code requests} requests; {@code reservedBytes} is -1 where there is no arena
   * to ask, {@code rssBytes} -1 where {@code /proc} is missing.
   */
  record Checkpoint(long requests, long reservedBytes, long rssBytes) {}

  /** Requests run in every mode before any is measured. */
  static final long WARMUP = 50_000;

  record Flat(Mode mode, Checkpoint first, Checkpoint last) {
    double reservedRatio() {
      return (double) last.reservedBytes / first.reservedBytes;
    }

    double rssRatio() {
      return (double) last.rssBytes / first.rssBytes;
    }
  }

  /** The anti-pattern's growth, and the watchdog's report with the request it fired in. */
  record Growth(
      List<Checkpoint> checkpoints, long firedAtRequest, RetentionWarning warning, int reports) {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length == 5 && args[0].equals("--flat")) { // a child: one mode, in a fresh JVM
      Mode mode = Mode.valueOf(args[1]);
      flat(mode, 1, Long.parseLong(args[2]));
      Flat f = flat(mode, Long.parseLong(args[3]), Long.parseLong(args[4]));
      System.out.printf(
          Locale.ROOT, "%d %d %d %d %d %d%n", f.first.requests, f.first.reservedBytes,
          f.first.rssBytes, f.last.requests, f.last.reservedBytes, f.last.rssBytes);
      return;
    }
    long first = args.length > 0 ? Long.parseLong(args[0]) : 1_000;
    long last = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
    long antiRequests = args.length > 2 ? Long.parseLong(args[2]) : 12_000;
    Map<Mode, Flat> flats = new EnumMap<>(Mode.class);
    for (Mode mode : Mode.values()) {
      flats.put(mode, inFreshJvm(mode, WARMUP, first, last));
    }
    System.out.print(markdown(flats, WARMUP, antiRequests));
  }

  /**
   * Runs {@link #flat} for one mode in a JVM of its own, with this JVM's options, after {@code
   * warmup} unmeasured requests: the JVM's own native memory (the JIT compiler's, growing while hot
   * paths compile) then grows alike in every mode, the JDK baseline included, and no mode inherits
   * another's.
   */
  static Flat inFreshJvm(Mode mode, long warmup, long first, long last)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), MemoryFootprint.class.getName(),
            "--flat", mode.name(), "" + warmup, "" + first, "" + last));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(mode + ": the child JVM failed: " + out);
    }
    long[] v = Arrays.stream(out.split(" ")).mapToLong(Long::parseLong).toArray();
    return new Flat(mode, new Checkpoint(v[0], v[1], v[2]), new Checkpoint(v[3], v[4], v[5]));
  }

  static String markdown(Map<Mode, Flat> flats, long warmup, long antiRequests) {
    Flat any = flats.values().iterator().next();
    long first = any.first.requests;
    long last = any.last.requests;
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "### Memory after %,d and %,d requests (%,d bytes in %d allocations each; each mode in"
                + " a JVM of its own, after %,d unmeasured requests)%n%n"
                + "| release per request | reserved after %,d | after %,d | ratio (target ≤ 1.05)"
                + " | RSS after %,d | after %,d | ratio (target ≤ 1.05) | RSS growth |%n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|%n",
            first, last, Request.BYTES, Request.ALLOCATIONS, warmup, first, last, first, last));
    for (Flat f : flats.values()) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s | %s | %.3f | %s |%n",
              f.mode.label,
              kib(f.first.reservedBytes),
              kib(f.last.reservedBytes),
              f.first.reservedBytes > 0 ? String.format(Locale.ROOT, "%.3f", f.reservedRatio()) : "–",
              kib(f.first.rssBytes),
              kib(f.last.rssBytes),
              f.rssRatio(),
              kib(f.last.rssBytes - f.first.rssBytes)));
    }
    long every = Math.max(1, antiRequests / 12);
    Growth g = antiPattern(antiRequests, every, 0);
    out.append(
        String.format(
            Locale.ROOT,
            "%n### A long-lived arena allocated into per request, never reset%n%n"
                + "| requests | reserved | RSS | watchdog |%n|---:|---:|---:|---|%n"));
    for (Checkpoint c : g.checkpoints) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %,d | %s | %s | %s |%n",
              c.requests,
              kib(c.reservedBytes),
              kib(c.rssBytes),
              g.warning != null && c.requests >= g.firedAtRequest ? "fired" : "–"));
    }
    out.append(
        g.warning == null
            ? String.format(Locale.ROOT, "%nThe watchdog did not fire in %,d requests.%n", antiRequests)
            : String.format(
                Locale.ROOT,
                "%nThe watchdog reported the arena %d time(s), first in request %,d: %s%n",
                g.reports,
                g.firedAtRequest,
                g.warning.message()));
    return out.toString();
  }

  /** Runs {@code last} requests released per {@code mode}, reading memory after {@code first}. */
  static Flat flat(Mode mode, long first, long last) {
    Checkpoint atFirst = null;
    try (BumpArena arena = BumpArena.ofConfined("requests");
        ArenaPool pool = ArenaPool.ofConfined("request")) {
      for (long i = 1; i <= last; i++) {
        switch (mode) {
          case PHASE -> {
            try (Phase request = arena.phase()) {
              Request.run(arena);
            }
          }
          case POOL -> {
            try (BumpArena lease = pool.acquire()) {
              Request.run(lease);
            }
          }
          case RESET -> {
            Request.run(arena);
            arena.reset();
          }
          case JDK_ARENA -> {
            try (java.lang.foreign.Arena jdk = java.lang.foreign.Arena.ofConfined()) {
              Request.run(jdk);
            }
          }
        }
        if (i == first || i == last) {
          long reserved =
              switch (mode) {
                case PHASE, RESET -> arena.stats().bytesReserved();
                case POOL -> pool.stats().bytesReserved();
                case JDK_ARENA -> -1;
              };
          Checkpoint c = new Checkpoint(i, reserved, rssBytes());
          if (i == first) {
            atFirst = c;
          }
          if (i == last) {
            return new Flat(mode, atFirst, c);
          }
        }
      }
    }
    throw new IllegalArgumentException("need 1 <= first <= last: " + first + ", " + last);
  }

  /**
   * Runs {@code requests} requests into one long-lived shared arena, never reset, reading memory
   * every {@code every} requests. The arena has the default options, but for the watchdog's
   * allocation threshold when {@code watchdogMaxAllocations > 0}.
   */
  static Growth antiPattern(long requests, long every, long watchdogMaxAllocations) {
    BumpArena.Builder options = BumpArena.builder("index").shared();
    if (watchdogMaxAllocations > 0) {
      options.watchdogMaxAllocations(watchdogMaxAllocations);
    }
    AtomicReference<RetentionWarning> warning = new AtomicReference<>();
    long[] firedAt = {-1};
    AtomicInteger reports = new AtomicInteger();
    long[] current = {0};
    List<Checkpoint> checkpoints = new ArrayList<>();
    try (BumpArena index = options.build();
        ArenaRegistry.Registration r =
            ArenaRegistry.addListener(
                new ArenaListener() {
                  @Override
                  public void retentionWarning(BumpArena arena, RetentionWarning w) {
                    if (arena == index) {
                      reports.incrementAndGet();
                      if (warning.compareAndSet(null, w)) {
                        firedAt[0] = current[0];
                      }
                    }
                  }
                })) {
      for (long i = 1; i <= requests; i++) {
        current[0] = i;
        Request.run(index); // the bug: nothing ends this request's memory
        if (i % every == 0 || i == requests) {
          checkpoints.add(new Checkpoint(i, index.stats().bytesReserved(), rssBytes()));
        }
      }
    }
    return new Growth(checkpoints, firedAt[0], warning.get(), reports.get());
  }

  /** The process's resident set size, from {@code /proc/self/status}; -1 where there is none. */
  static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  private static String kib(long bytes) {
    return bytes < 0 ? "–" : String.format(Locale.ROOT, "%,d KiB", bytes / 1024);
  }
}
