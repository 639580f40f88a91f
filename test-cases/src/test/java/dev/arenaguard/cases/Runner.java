package dev.arenaguard.cases;

import dev.arenaguard.runtime.ArenaListener;
import dev.arenaguard.runtime.ArenaRegistry;
import dev.arenaguard.runtime.ArenaRetentionException;
import dev.arenaguard.runtime.BumpArena;
import dev.arenaguard.runtime.LeakReport;
import dev.arenaguard.runtime.RetentionWarning;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs a program of the corpus against the runtime library and says what the runtime saw: a
 * stale access ({@code IllegalStateException: Already closed}), a {@code WrongThreadException},
 * the retention watchdog firing, or the leak detector reporting an arena never closed.
 *
 * <p>Every program runs in a class loader of its own (fresh static state, and its classes can be
 * collected so that the leak detector sees what it dropped), on the calling thread, with the
 * watchdog strict and low: policy {@code throw}, {@value #WATCHDOG_MAX_ALLOCATIONS} allocations
 * outside a phase without a reset.
 */
final class Runner {
  private Runner() {}

  static final long WATCHDOG_MAX_ALLOCATIONS = 500;

  /** What the runtime reports, by kind: each check's runtime twin. */
  enum Kind {
    STALE_ACCESS("stale access"),
    WRONG_THREAD("wrong thread"),
    WATCHDOG("retention watchdog"),
    LEAK("leak detector"),
    UNEXPECTED("unexpected failure");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** The runtime twin of each check; {@code ArenaAnnotationMisuse} has none. */
  static final Map<String, Kind> TWIN =
      Map.of(
          "ArenaEscape", Kind.STALE_ACCESS,
          "ArenaUseAfterClose", Kind.STALE_ACCESS,
          "ArenaThreadConfinement", Kind.WRONG_THREAD,
          "ArenaLongLivedOwner", Kind.WATCHDOG,
          "ArenaNotClosed", Kind.LEAK);

  /** What one run showed: one line per kind of report, in the order seen; empty when clean. */
  record Verdict(Map<Kind, String> reports) {
    boolean clean() {
      return reports.isEmpty();
    }

    @Override
    public String toString() {
      return clean() ? "clean" : String.join("; ", reports.values());
    }
  }

  static Verdict run(Case c) throws Exception {
    Map<Kind, String> reports = new LinkedHashMap<>();
    List<RetentionWarning> warnings = new CopyOnWriteArrayList<>();
    List<LeakReport> leaks = new CopyOnWriteArrayList<>();
    ArenaListener listener =
        new ArenaListener() {
          @Override
          public void retentionWarning(BumpArena arena, RetentionWarning warning) {
            warnings.add(warning);
          }

          @Override
          public void leakDetected(LeakReport report) {
            if (report.creationSite().contains(c.className() + ".") || report.creationSite().contains(c.className() + "$")) {
              leaks.add(report);
            }
          }
        };
    Map<String, String> saved = new LinkedHashMap<>();
    try (ArenaRegistry.Registration r = ArenaRegistry.addListener(listener)) {
      set(saved, "arenaguard.watchdog", "throw");
      set(saved, "arenaguard.watchdog.maxAllocations", Long.toString(WATCHDOG_MAX_ALLOCATIONS));
      try {
        invokeMain(c);
      } catch (InvocationTargetException e) {
        classify(c, e.getCause(), reports);
      } finally {
        saved.forEach((k, v) -> restore(k, v));
      }
      for (RetentionWarning w : warnings) {
        reports.putIfAbsent(
            Kind.WATCHDOG,
            "retention watchdog: arena \"" + w.arenaName() + "\" created at " + shortSite(w.creationSite()));
      }
      // An arena dropped without close() is reported once the collector finds it unreachable.
      // A program that leaks is given up to ten seconds; a correct one is collected twice.
      long deadline = System.nanoTime() + (expects(c, Kind.LEAK) ? 10_000_000_000L : 300_000_000L);
      do {
        System.gc();
        Thread.sleep(50);
      } while (leaks.isEmpty() && System.nanoTime() < deadline);
      for (LeakReport leak : leaks) {
        reports.putIfAbsent(
            Kind.LEAK, "leak detector: arena \"" + leak.arenaName() + "\" created at " + shortSite(leak.creationSite()) + " never closed");
      }
    }
    return new Verdict(reports);
  }

  /** Whether the case's compile verdict predicts this runtime report. */
  static boolean expects(Case c, Kind kind) {
    return c.buggy() && TWIN.get(c.check()) == kind;
  }

  /** Whether the runtime verdict matches the case: its check's twin alone if buggy, nothing if correct. */
  static boolean matches(Case c, Verdict v) {
    Kind twin = TWIN.get(c.check());
    if (!c.buggy() || twin == null) {
      return v.clean();
    }
    return v.reports().keySet().equals(java.util.Set.of(twin));
  }

  private static void invokeMain(Case c) throws Exception {
    URL classes = Corpus.classes().toUri().toURL();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes}, Runner.class.getClassLoader())) {
      Method main = loader.loadClass(c.className()).getMethod("main", String[].class);
      main.setAccessible(true); // a program's class need not be public
      main.invoke(null, (Object) new String[0]);
    }
  }

  private static void classify(Case c, Throwable failure, Map<Kind, String> reports) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof WrongThreadException) {
        reports.putIfAbsent(Kind.WRONG_THREAD, "WrongThreadException at " + where(c, t));
        return;
      }
      if (t instanceof ArenaRetentionException e) {
        reports.putIfAbsent(
            Kind.WATCHDOG,
            "retention watchdog: arena \"" + e.warning().arenaName() + "\" created at "
                + shortSite(e.warning().creationSite()) + ", thrown at " + where(c, t));
        return;
      }
      if (t instanceof IllegalStateException && String.valueOf(t.getMessage()).contains("Already closed")) {
        reports.putIfAbsent(Kind.STALE_ACCESS, "IllegalStateException: Already closed, at " + where(c, t));
        return;
      }
    }
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    reports.putIfAbsent(Kind.UNEXPECTED, "unexpected " + root + " at " + where(c, root));
    failure.printStackTrace();
  }

  /** The program's own frame nearest the failure: {@code File.java:line}. */
  private static String where(Case c, Throwable t) {
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().startsWith(c.className())) {
        return e.getFileName() + ":" + e.getLineNumber();
      }
    }
    return t.getStackTrace().length == 0 ? "?" : t.getStackTrace()[0].toString();
  }

  /** {@code pkg.Class.method(File.java:12)} as {@code File.java:12}. */
  private static String shortSite(String site) {
    int open = site.lastIndexOf('(');
    return open >= 0 && site.endsWith(")") ? site.substring(open + 1, site.length() - 1) : site;
  }

  private static void set(Map<String, String> saved, String key, String value) {
    saved.put(key, System.getProperty(key));
    System.setProperty(key, value);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
