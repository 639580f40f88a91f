package dev.arenaguard.cases.escape.buggy;

import dev.arenaguard.annotations.OutlivesArena;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A custom arena wrapper runs cleanup hooks after closing its arena, and a hook registered with it
 * captures a segment of that arena (SPEC §5): the hook reads freed memory.
 */
public final class CleanupHooks {

  /** An arena with cleanup hooks; the registry keeps each hook until the close. */
  static final class ManagedArena implements AutoCloseable {
    final Arena arena = Arena.ofConfined();
    private final List<Runnable> hooks = new ArrayList<>();

    void onClose(@OutlivesArena Runnable hook) {
      hooks.add(hook);
    }

    @Override
    public void close() {
      arena.close();
      hooks.forEach(Runnable::run);
    }
  }

  public static void main(String[] args) {
    try (ManagedArena managed = new ManagedArena()) {
      MemorySegment session = managed.arena.allocateFrom("session-42");
      managed.onClose(() -> System.out.println("closed " + session.getString(0))); // BUG: ArenaEscape
    }
  }
}
