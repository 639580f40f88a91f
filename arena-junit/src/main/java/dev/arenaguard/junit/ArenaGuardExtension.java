package dev.arenaguard.junit;

import dev.arenaguard.runtime.ArenaDebug;
import dev.arenaguard.runtime.ArenaListener;
import dev.arenaguard.runtime.ArenaRegistry;
import dev.arenaguard.runtime.ArenaStats;
import dev.arenaguard.runtime.BumpArena;
import dev.arenaguard.runtime.RetentionWarning;
import java.lang.ref.WeakReference;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * A JUnit Jupiter extension that holds tests to arena-guard's rules: a test fails if
 *
 * <ul>
 *   <li>it leaves open an arena created during it &mdash; a {@link BumpArena} not closed, or a
 *       lease from an {@link dev.arenaguard.runtime.ArenaPool ArenaPool} not returned; the message
 *       names each arena and where it was created or acquired (the extension then closes them, so
 *       that the next test starts clean);
 *   <li>the retention watchdog fires during it (an arena that grows without a reset), whatever
 *       the watchdog policy;
 *   <li>in strict mode ({@link ArenaGuarded#strict()} or the configuration parameter {@value
 *       #STRICT_PARAMETER}), it (or one of its lifecycle methods) fails with a use after reset,
 *       phase end or close: the JDK's {@code
 *       IllegalStateException: Already closed} is replaced by an {@link AssertionFailedError} whose
 *       message is arena-guard's debug report (where the segment was allocated, where its epoch
 *       ended), with the JDK's exception as its cause. Strict mode puts the arenas created during
 *       the test in debug mode, recording every site (sample rate 1).
 * </ul>
 *
 * <p>Use it with {@code @ExtendWith(ArenaGuardExtension.class)}, or {@link ArenaGuarded
 * @ArenaGuarded}, on a class or a method; or for a whole suite through JUnit's extension
 * auto-detection ({@code junit.jupiter.extensions.autodetection.enabled=true}).
 *
 * <h2>Which arenas belong to a test</h2>
 *
 * The extension listens to {@link ArenaRegistry}. An arena (or lease) belongs to the test that is
 * running on the thread that creates it, or on the thread that started that thread (the test's
 * scope is inherited by threads created during it, so executors started by the test count). An
 * arena created on a thread that no running test started &mdash; a shared pool's worker, say
 * &mdash; belongs to the running test if exactly one is running (sequential execution, the
 * default), else to none. Arenas created while the test class is set up &mdash; static
 * initialisers, {@code @BeforeAll}, the test instance's field initialisers &mdash; belong to the
 * class and must be closed by the time it finishes ({@code @AfterAll}). Arenas of a pool are
 * checked as leases: a pool's idle arenas stay open by design.
 *
 * <h2>Identifying the stale segment</h2>
 *
 * The JDK's exception does not say which segment failed. In strict mode the extension asks {@link
 * ArenaDebug#explainFailure(Throwable, java.util.Collection)}: after a garbage collection, a stale
 * segment that is still referenced (from a static, a field, a collection) is the one the failing
 * code kept, and its epoch's debug record names it. When that is ambiguous or impossible (a slice
 * was kept, or the arena was not in debug mode) the message says so and describes the most
 * recently ended epochs of the arenas the test used.
 */
public final class ArenaGuardExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {

  /** The configuration parameter that turns strict mode on for every test: {@value}. */
  public static final String STRICT_PARAMETER = "arenaguard.junit.strict";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ArenaGuardExtension.class);

  /** The scope running on this thread, inherited by threads it starts. */
  private static final InheritableThreadLocal<Scope> CURRENT = new InheritableThreadLocal<>();

  private static final Set<Scope> ACTIVE = ConcurrentHashMap.newKeySet();

  /** Every arena some scope tracks, to mark it closed whichever thread closes it. */
  private static final Map<BumpArena, Tracked> TRACKED =
      Collections.synchronizedMap(new WeakHashMap<>());

  static {
    ArenaRegistry.addListener(new Dispatcher()); // once per class loader, for good: it is cheap
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    open(context, false);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    open(context, true);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close(context);
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    Scope scope = context.getStore(NAMESPACE).get(Scope.class, Scope.class);
    Throwable stale = findUseAfterReset(throwable);
    if (stale == null || scope == null || !(scope.strict || ArenaDebug.isEnabledByDefault())) {
      throw throwable;
    }
    String report = ArenaDebug.explainFailure(stale, scope.arenasUsed());
    AssertionFailedError failure = new AssertionFailedError(report, throwable);
    failure.setStackTrace(throwable.getStackTrace()); // the access, not the extension
    throw failure;
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    handleTestExecutionException(context, throwable);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    handleTestExecutionException(context, throwable);
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    handleTestExecutionException(context, throwable);
  }

  @Override
  public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    handleTestExecutionException(context, throwable);
  }

  private static Throwable findUseAfterReset(Throwable throwable) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = throwable; t != null && seen.add(t); t = t.getCause()) {
      if (ArenaDebug.isUseAfterReset(t)) {
        return t;
      }
    }
    return null;
  }

  // ---- scopes

  private static void open(ExtensionContext context, boolean test) {
    boolean strict =
        strictAnnotation(context)
            .orElse(false)
            || context.getConfigurationParameter(STRICT_PARAMETER, Boolean::parseBoolean).orElse(false);
    Scope scope = new Scope(context.getDisplayName(), test, CURRENT.get(), strict);
    context.getStore(NAMESPACE).put(Scope.class, scope);
    if (strict) {
      scope.debugBefore = System.getProperty(DEBUG_PROPERTY);
      scope.sampleRateBefore = System.getProperty(SAMPLE_RATE_PROPERTY);
      System.setProperty(DEBUG_PROPERTY, "true");
      System.setProperty(SAMPLE_RATE_PROPERTY, "1"); // a test's report names every site
    }
    ACTIVE.add(scope);
    CURRENT.set(scope);
  }

  private static final String DEBUG_PROPERTY = "arenaguard.debug";
  private static final String SAMPLE_RATE_PROPERTY = "arenaguard.debug.sampleRate";

  private static void restore(String property, String before) {
    if (before == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, before);
    }
  }

  private static void close(ExtensionContext context) {
    Scope scope = context.getStore(NAMESPACE).remove(Scope.class, Scope.class);
    if (scope == null) {
      return;
    }
    scope.active = false;
    ACTIVE.remove(scope);
    if (CURRENT.get() == scope) {
      CURRENT.set(scope.outer);
    }
    if (scope.strict) {
      restore(DEBUG_PROPERTY, scope.debugBefore);
      restore(SAMPLE_RATE_PROPERTY, scope.sampleRateBefore);
    }
    String problems = scope.problems();
    if (!problems.isEmpty()) {
      throw new AssertionFailedError(problems);
    }
  }

  /** The nearest {@link ArenaGuarded}: on the method, else on the class or an enclosing class. */
  private static Optional<Boolean> strictAnnotation(ExtensionContext context) {
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
      Optional<AnnotatedElement> element = c.get().getElement();
      if (element.isPresent()) {
        Optional<ArenaGuarded> found = AnnotationSupport.findAnnotation(element.get(), ArenaGuarded.class);
        if (found.isPresent()) {
          return Optional.of(found.get().strict());
        }
      }
    }
    return Optional.empty();
  }

  /** The scope that an event on the calling thread belongs to, or null. */
  private static Scope owner() {
    Scope s = CURRENT.get();
    if (s != null && s.active) {
      return s;
    }
    // A thread no running scope started: only an unambiguous attribution will do.
    Scope test = null;
    Scope container = null;
    int tests = 0;
    int containers = 0;
    for (Scope a : ACTIVE) {
      if (a.test) {
        tests++;
        test = a;
      } else {
        containers++;
        container = a;
      }
    }
    if (tests == 1) {
      return test;
    }
    return tests == 0 && containers == 1 ? container : null;
  }

  /** An arena a scope saw created; held weakly, so that a dropped arena is seen as leaked. */
  private static final class Tracked {
    final WeakReference<BumpArena> arena;
    final String description;
    final List<StackTraceElement> createdAt;
    final boolean child;
    volatile boolean closed;

    Tracked(BumpArena arena) {
      this.arena = new WeakReference<>(arena);
      this.description = (arena.isShared() ? "shared" : "confined") + " arena \"" + arena.name() + "\"";
      this.createdAt = ArenaDebug.creationStack(arena);
      this.child = arena.parent().isPresent();
    }
  }

  /** A lease a scope saw acquired, held strongly until the scope ends. */
  private record Lease(BumpArena lease, List<StackTraceElement> acquiredAt) {}

  /** A test's or a test class's arenas and watchdog reports. */
  private static final class Scope {
    final String name;
    final boolean test;
    final Scope outer;
    final boolean strict;
    volatile boolean active = true;
    String debugBefore;
    String sampleRateBefore;
    final List<Tracked> arenas = new CopyOnWriteArrayList<>();
    final List<Lease> leases = new CopyOnWriteArrayList<>();
    final List<RetentionWarning> warnings = new CopyOnWriteArrayList<>();

    Scope(String name, boolean test, Scope outer, boolean strict) {
      this.name = name;
      this.test = test;
      this.outer = outer;
      this.strict = strict;
    }

    /** The arenas this scope and its outer scopes saw, still reachable. */
    List<BumpArena> arenasUsed() {
      List<BumpArena> used = new ArrayList<>();
      for (Scope s = this; s != null; s = s.outer) {
        for (Tracked t : s.arenas) {
          BumpArena a = t.arena.get();
          if (a != null) {
            used.add(a);
          }
        }
        for (Lease l : s.leases) {
          used.add(l.lease());
        }
      }
      return used;
    }

    /** What went wrong, as a failure message; closes what was left open. Empty if nothing. */
    String problems() {
      StringBuilder out = new StringBuilder();
      List<String> open = new ArrayList<>();
      Set<BumpArena> reported = Collections.newSetFromMap(new IdentityHashMap<>());
      for (Tracked t : arenas) {
        BumpArena a = t.arena.get();
        if (t.closed || (a != null && !a.isOpen())) {
          continue;
        }
        if (a != null && t.child && a.parent().filter(reported::contains).isPresent()) {
          continue; // its open parent is reported: closing the parent closes it
        }
        if (a == null) {
          open.add("- " + t.description + " became unreachable without close(); created at\n" + frames(t.createdAt));
          continue;
        }
        reported.add(a);
        ArenaStats s = a.stats();
        open.add(
            String.format(
                "- %s (%,d bytes allocated, %,d bytes reserved, %,d allocation%s) was not closed;"
                    + " created at%n%s",
                t.description,
                s.bytesAllocated(),
                s.bytesReserved(),
                s.allocationCount(),
                s.allocationCount() == 1 ? "" : "s",
                frames(t.createdAt)));
      }
      for (Lease l : leases) {
        if (l.lease().isOpen()) {
          open.add(
              "- arena \""
                  + l.lease().name()
                  + "\" acquired from pool \""
                  + l.lease().pool().map(p -> p.name()).orElse("?")
                  + "\" was not returned (its lease was not closed); acquired at\n"
                  + frames(l.acquiredAt()));
        }
      }
      if (!open.isEmpty()) {
        out.append("arena-guard: ")
            .append(test ? "this test" : "this test class")
            .append(" left ")
            .append(open.size())
            .append(open.size() == 1 ? " arena" : " arenas")
            .append(" open:\n");
        open.forEach(out::append);
        out.append(
            test
                ? "Close arenas with try-with-resources, and close a pool's lease to return it."
                : "Close arenas created by the test class (static or instance fields, @BeforeAll)"
                    + " in @AfterAll or @AfterEach.")
            .append(" (The extension closed those still open.)\n");
        closeLeftovers(reported);
      }
      for (RetentionWarning w : warnings) {
        out.append("arena-guard: the retention watchdog fired during ")
            .append(test ? "this test" : "this test class")
            .append(": ")
            .append(w.message())
            .append('\n');
      }
      return out.toString();
    }

    private void closeLeftovers(Set<BumpArena> arenas) {
      for (BumpArena a : arenas) {
        try {
          a.close();
        } catch (RuntimeException e) {
          // another thread's confined arena, or a phase open elsewhere: the report stands
        }
      }
      for (Lease l : leases) {
        try {
          l.lease().close();
        } catch (RuntimeException e) {
          // as above
        }
      }
    }
  }

  private static String frames(List<StackTraceElement> frames) {
    StringBuilder out = new StringBuilder();
    for (StackTraceElement f : frames) {
      out.append("    at ").append(f).append('\n');
    }
    return out.isEmpty() ? "    (no frames recorded)\n" : out.toString();
  }

  /** Where the caller of the runtime is: the first frames outside the runtime and this extension. */
  private static List<StackTraceElement> callerFrames() {
    return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
        .walk(
            s ->
                s.dropWhile(
                        f ->
                            f.getDeclaringClass().getPackageName().equals("dev.arenaguard.runtime")
                                || f.getDeclaringClass().getNestHost() == ArenaGuardExtension.class)
                    .limit(8)
                    .map(StackWalker.StackFrame::toStackTraceElement)
                    .toList());
  }

  /** The one listener: hands each event to the scope it belongs to. */
  private static final class Dispatcher implements ArenaListener {
    @Override
    public void arenaCreated(BumpArena arena) {
      if (arena.pool().isPresent()) {
        return; // a pool's arena: its leases are what a test must close
      }
      Scope scope = owner();
      if (scope != null) {
        Tracked t = new Tracked(arena);
        TRACKED.put(arena, t);
        scope.arenas.add(t);
      }
    }

    @Override
    public void arenaAcquired(BumpArena lease) {
      Scope scope = owner();
      if (scope != null) {
        scope.leases.add(new Lease(lease, callerFrames()));
      }
    }

    @Override
    public void arenaClosed(BumpArena arena, ArenaStats finalStats) {
      Tracked t = TRACKED.remove(arena);
      if (t != null) {
        t.closed = true;
      }
    }

    @Override
    public void retentionWarning(BumpArena arena, RetentionWarning warning) {
      Scope scope = owner();
      if (scope != null) {
        scope.warnings.add(warning);
      }
    }
  }
}
