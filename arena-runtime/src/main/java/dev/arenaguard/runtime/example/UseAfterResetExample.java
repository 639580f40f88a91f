package dev.arenaguard.runtime.example;

import dev.arenaguard.runtime.ArenaDebug;
import dev.arenaguard.runtime.ArenaPool;
import dev.arenaguard.runtime.BumpArena;
import dev.arenaguard.runtime.Phase;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A request handler with per-request arenas and a per-item phase, and one bug: it keeps a
 * request's greeting in a static field (an escape) and reads it in the next request. With a plain
 * bump allocator that read would show the <em>next</em> request's bytes; here it fails at once
 * and debug mode says where the memory was allocated and where it was freed.
 *
 * <p>Run: {@code ./mvnw -q -pl arena-runtime exec:exec} (or {@code exec:java}). Prints what
 * happened and exits normally when the runtime caught the bug.
 */
public final class UseAfterResetExample {
  private UseAfterResetExample() {}

  /** The bug: a static that outlives the request whose arena the greeting came from. */
  private static MemorySegment lastGreeting;

  public static void main(String[] args) {
    PrintStream out = System.out;
    // Debug mode recording every site; a service would keep the default, which samples.
    BumpArena.Builder debug = BumpArena.builder("request").debug(true).debugSampleRate(1);
    try (ArenaPool requests = ArenaPool.of(debug, 4)) {
      handle(requests, "Ada", out);
      try {
        handle(requests, "Grace", out);
      } catch (IllegalStateException caught) {
        out.println();
        out.println("The runtime caught a use after reset: the second request read memory of the");
        out.println("first one, which was reset when its arena went back to the pool.");
        out.println();
        out.println(ArenaDebug.explain(caught, lastGreeting).getMessage());
        out.println("Pool after both requests:");
        out.println(requests.stats());
        return;
      }
    }
    throw new IllegalStateException("the use after reset was not caught");
  }

  private static void handle(ArenaPool requests, String name, PrintStream out) {
    try (BumpArena arena = requests.acquire()) {
      MemorySegment greeting = arena.allocateFrom("Hello, " + name + "!");
      long checksum = 0;
      for (char c : name.toCharArray()) {
        try (Phase item = arena.phase()) { // per-item scratch memory, released at each close
          MemorySegment scratch = arena.allocate(ValueLayout.JAVA_LONG, 8);
          scratch.setAtIndex(ValueLayout.JAVA_LONG, 0, c);
          checksum += scratch.getAtIndex(ValueLayout.JAVA_LONG, 0);
        }
      }
      out.printf(
          "request %s on %s: %s (checksum %d, %d bytes still allocated)%n",
          name, arena.name(), greeting.getString(0), checksum, arena.stats().bytesAllocated());
      if (lastGreeting != null) {
        out.println("  previous greeting: " + lastGreeting.getString(0)); // use after reset
      }
      lastGreeting = greeting; // escape: kept past the request's arena
    }
  }
}
