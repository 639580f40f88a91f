package dev.arenaguard.cases.longlivedowner.buggy;

import dev.arenaguard.annotations.OutlivesArena;
import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;

/**
 * A routing table declared to live for the whole process ({@code @OutlivesArena}) holds an arena,
 * and each lookup copies the request path into it to hand to native matching code.
 */
@OutlivesArena
public final class RouteTable implements AutoCloseable {
  private final BumpArena paths = BumpArena.ofShared("routes"); // BUG: ArenaLongLivedOwner

  int route(String path) {
    MemorySegment nativePath = paths.allocateFrom(path); // BUG: ArenaLongLivedOwner
    return (int) (nativePath.byteSize() % 4);
  }

  @Override
  public void close() {
    paths.close();
  }

  public static void main(String[] args) {
    try (RouteTable routes = new RouteTable()) {
      int[] hits = new int[4];
      for (int request = 0; request < 5_000; request++) {
        hits[routes.route("/api/orders/" + request)]++;
      }
      System.out.println(hits[0] + " requests to backend 0");
    }
  }
}
