package dev.arenaguard.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.CountDownLatch;

/**
 * Native code holding a segment, through the public FFM API only: the JDK acquires the scope of
 * every segment passed to a downcall for as long as the call runs, and refuses to close that scope
 * meanwhile ({@code IllegalStateException: Session is acquired by 1 clients}). Two ways to be inside
 * such a call: on this thread, in an upcall from {@code qsort} or {@code bsearch}; on another
 * thread, in a {@code bsearch} whose comparator waits to be released.
 */
final class NativeHold {
  private NativeHold() {}

  private static final Linker LINKER = Linker.nativeLinker();
  private static final FunctionDescriptor COMPARATOR = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
  private static final MethodHandle QSORT =
      LINKER.downcallHandle(
          LINKER.defaultLookup().findOrThrow("qsort"),
          FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
  private static final MethodHandle BSEARCH =
      LINKER.downcallHandle(
          LINKER.defaultLookup().findOrThrow("bsearch"),
          FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
  /** What the upcall runs on each thread: the action of the call in progress there. */
  private static final ThreadLocal<Runnable> ACTION = new ThreadLocal<>();

  /** One comparator stub for every call: made once, in the global arena. */
  private static final MemorySegment COMPARE_STUB;

  static {
    try {
      MethodHandle compare =
          MethodHandles.lookup()
              .findStatic(
                  NativeHold.class,
                  "compare",
                  MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
      COMPARE_STUB = LINKER.upcallStub(compare, COMPARATOR, Arena.global());
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The upcall: runs the action, which must not throw (an exception leaving an upcall ends the JVM). */
  private static int compare(MemorySegment a, MemorySegment b) {
    ACTION.get().run();
    return 0;
  }

  /** What an action threw inside an upcall, rethrown after the downcall returned. */
  private static final class Outcome implements Runnable {
    private final Runnable action;
    private boolean ran;
    private Throwable thrown;

    Outcome(Runnable action) {
      this.action = action;
    }

    @Override
    public void run() {
      if (ran) {
        return;
      }
      ran = true;
      try {
        action.run();
      } catch (Throwable t) {
        thrown = t;
      }
    }

    void rethrow() {
      if (!ran) {
        throw new AssertionError("the native function never called back");
      }
      if (thrown instanceof RuntimeException e) {
        throw e;
      }
      if (thrown instanceof Error e) {
        throw e;
      }
    }
  }

  /**
   * Sorts {@code held} (two elements of half its size; at least 2 bytes) with {@code qsort}, whose
   * comparator runs {@code action} once: the action runs while {@code qsort} holds {@code held}.
   * The comparator says the elements are equal, so nothing moves. What the action throws is thrown
   * here, after {@code qsort} returned.
   */
  static void duringQsort(MemorySegment held, Runnable action) {
    if (held.byteSize() < 2) {
      throw new IllegalArgumentException("qsort needs two elements: " + held);
    }
    Outcome outcome = new Outcome(action);
    ACTION.set(outcome);
    try {
      QSORT.invokeExact(held, 2L, held.byteSize() / 2, COMPARE_STUB);
    } catch (Throwable t) {
      throw new AssertionError("qsort failed", t);
    } finally {
      ACTION.remove();
    }
    outcome.rethrow();
  }

  /**
   * Runs {@code action} inside a {@code bsearch} over {@code held} (any size: {@code bsearch} only
   * hands the pointer to the comparator), which holds it while the action runs. Reads nothing.
   */
  static void duringBsearch(MemorySegment held, Runnable action) {
    Outcome outcome = new Outcome(action);
    bsearch(held, outcome);
    outcome.rethrow();
  }

  private static void bsearch(MemorySegment held, Runnable action) {
    ACTION.set(action);
    try {
      MemorySegment unused = (MemorySegment) BSEARCH.invokeExact(held, held, 1L, 1L, COMPARE_STUB);
    } catch (Throwable t) {
      throw new AssertionError("bsearch failed", t);
    } finally {
      ACTION.remove();
    }
  }

  /**
   * Another thread inside a downcall that holds {@code held} (of a shared arena), until {@link
   * #close()}: a {@code bsearch} whose comparator waits. Returns once the call is in progress.
   */
  static final class OnAnotherThread implements AutoCloseable {
    private final CountDownLatch inside = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread thread;
    private volatile Throwable failure;

    OnAnotherThread(MemorySegment held) throws InterruptedException {
      thread =
          Thread.ofPlatform()
              .name("native-holder")
              .start(
                  () -> {
                    try {
                      Runnable wait =
                          () -> {
                            inside.countDown();
                            try {
                              release.await();
                            } catch (InterruptedException e) {
                              Thread.currentThread().interrupt();
                            }
                          };
                      bsearch(held, new Outcome(wait));
                    } catch (Throwable t) {
                      failure = t;
                      inside.countDown();
                    }
                  });
      inside.await();
      if (failure != null) {
        throw new AssertionError("the holding thread failed", failure);
      }
    }

    /** Lets the native call return, and waits for the thread to end. */
    @Override
    public void close() throws InterruptedException {
      release.countDown();
      thread.join();
      if (failure != null) {
        throw new AssertionError("the holding thread failed", failure);
      }
    }
  }
}
