package dev.arenaguard.checker;

import static dev.arenaguard.checker.Sources.test;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import dev.arenaguard.checker.core.ArenaAnalysis;
import dev.arenaguard.checker.core.Backing;
import dev.arenaguard.checker.core.Lifetimes;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The analysis core as the next checks use it: a probe check reports, at every allocation, the
 * arena's kind and scope and whether the code runs repeatedly. (Also a worked example of the
 * core's API for new checks.)
 */
class CoreProbeTest {

  /** Reports what the core says about each modelled allocation. */
  @BugPattern(summary = "probe", severity = BugPattern.SeverityLevel.WARNING)
  public static final class Probe extends ArenaGuardChecker implements MethodInvocationTreeMatcher {
    public Probe(ErrorProneFlags flags) {
      super(flags);
    }

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      return guard(tree, state, () -> {
        ArenaAnalysis analysis = analysis(state);
        if (!analysis.model(ASTHelpers.getSymbol(tree)).scopedResult()
            || !(tree.getMethodSelect() instanceof MemberSelectTree select)) {
          return Description.NO_MATCH;
        }
        Backing backing = analysis.arenaBacking(select.getExpression(), tree);
        String value =
            analysis.valueOf(state.getPath()).backings().stream()
                .map(b -> b.scope() + "/" + b.arenaKind())
                .collect(Collectors.joining(","));
        return buildDescription(tree)
            .setMessage(
                "scope=" + (backing == null ? "none" : backing.scope())
                    + " kind=" + analysis.kindOfArena(select.getExpression())
                    + " value=" + value
                    + " repeated=" + Lifetimes.isRepeatedCode(state.getPath()))
            .build();
      });
    }
  }

  private final CompilationTestHelper helper = CompilationTestHelper.newInstance(Probe.class, getClass());

  @Test
  void kindsScopesAndRepetition() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        class Test implements AutoCloseable {
          static final Arena AUTO = Arena.ofAuto();
          // BUG: Diagnostic contains: scope=AUTO kind=AUTO value=AUTO/AUTO repeated=false
          static final MemorySegment TABLE = AUTO.allocate(8);
          private final BumpArena bump = BumpArena.ofShared("requests");
          private final Arena owned = Arena.ofConfined();
          static {
            try (Arena a = Arena.ofConfined()) {
              // BUG: Diagnostic contains: scope=BLOCK kind=CONFINED value=BLOCK/CONFINED repeated=false
              a.allocate(8);
            }
          }
          void work(Arena param, ArenaPool pool) {
            // BUG: Diagnostic contains: scope=PARAMETER kind=UNKNOWN
            param.allocate(8);
            // BUG: Diagnostic contains: scope=GLOBAL kind=GLOBAL value=GLOBAL/GLOBAL repeated=true
            Arena.global().allocate(8);
            // BUG: Diagnostic contains: scope=OWNER kind=CONFINED
            owned.allocate(8);
            try (Phase p = bump.phase()) {
              // BUG: Diagnostic contains: scope=BLOCK kind=RUNTIME_SHARED
              bump.allocate(8);
            }
            // BUG: Diagnostic contains: scope=OWNER kind=RUNTIME_SHARED
            bump.allocate(8);
            try (BumpArena pooled = pool.acquire(); BumpArena child = pooled.newChild("c")) {
              // BUG: Diagnostic contains: scope=BLOCK kind=POOLED
              pooled.allocate(8);
              // BUG: Diagnostic contains: scope=BLOCK kind=POOLED
              child.allocate(8);
            }
            Arena shared = Arena.ofShared();
            // BUG: Diagnostic contains: scope=CLOSED_IN_METHOD kind=SHARED
            shared.allocate(8);
            shared.close();
            Runnable r = () -> {
              // BUG: Diagnostic contains: scope=AUTO kind=AUTO value=AUTO/AUTO repeated=true
              AUTO.allocate(8);
            };
          }
          public void close() { owned.close(); bump.close(); }
        }
        """).doTest();
  }

  @Test
  void kindsOfBuildersPoolsThreadLocalsAndAllocators() {
    test(helper, """
        import java.lang.foreign.*;
        import dev.arenaguard.runtime.*;
        class Test {
          static final ArenaPool CONFINED_POOL = ArenaPool.ofConfined("requests");
          static final ArenaPool SHARED_POOL = ArenaPool.of(BumpArena.builder("t").chunkSize(4096).shared(), 4);
          static final ThreadLocal<Arena> PER_THREAD = ThreadLocal.withInitial(Arena::ofConfined);
          static final ThreadLocal<Arena> PER_THREAD_SHARED = ThreadLocal.withInitial(() -> Arena.ofShared());
          static final SegmentAllocator ALLOCATOR = Arena.ofAuto();
          void work(ArenaPool somePool) {
            try (BumpArena a = BumpArena.builder("a").build();
                BumpArena b = BumpArena.builder("b").debug(true).shared().build();
                BumpArena c = CONFINED_POOL.acquire();
                BumpArena d = SHARED_POOL.acquire();
                BumpArena e = somePool.acquire();
                BumpArena f = ArenaPool.ofShared("x").acquire()) {
              // BUG: Diagnostic contains: scope=BLOCK kind=RUNTIME_CONFINED
              a.allocate(8);
              // BUG: Diagnostic contains: scope=BLOCK kind=RUNTIME_SHARED
              b.allocate(8);
              // BUG: Diagnostic contains: scope=BLOCK kind=POOLED_CONFINED
              c.allocate(8);
              // BUG: Diagnostic contains: scope=BLOCK kind=POOLED_SHARED
              d.allocate(8);
              // BUG: Diagnostic contains: scope=BLOCK kind=POOLED value
              e.allocate(8);
              // BUG: Diagnostic contains: scope=BLOCK kind=POOLED_SHARED
              f.allocate(8);
              try (Phase p = b.phase()) {
                // A phase of a shared runtime arena belongs to the thread that opened it.
                // BUG: Diagnostic contains: scope=BLOCK kind=RUNTIME_SHARED value=BLOCK/RUNTIME_CONFINED
                b.allocate(8);
              }
            }
            // BUG: Diagnostic contains: scope=UNCLOSED kind=CONFINED value=UNCLOSED/CONFINED
            PER_THREAD.get().allocate(8);
            Arena mine = PER_THREAD_SHARED.get();
            // BUG: Diagnostic contains: scope=UNCLOSED kind=SHARED value=UNCLOSED/SHARED
            mine.allocate(8);
            // BUG: Diagnostic contains: scope=AUTO kind=AUTO value=AUTO/AUTO
            ALLOCATOR.allocate(8);
          }
        }
        """).doTest();
  }
}
