package dev.arenaguard.cases.escape.correct;

import dev.arenaguard.annotations.OutlivesArena;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The cleanup hook captures a copy of what it needs (a Java string read out of the arena), so it
 * may run after the arena is closed.
 */
public final class CleanupHooksCopy {

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
    List<String> closed = new ArrayList<>();
    try (ManagedArena managed = new ManagedArena()) {
      MemorySegment session = managed.arena.allocateFrom("session-42");
      String name = session.getString(0);
      managed.onClose(() -> closed.add(name));
    }
    if (!closed.equals(List.of("session-42"))) {
      throw new AssertionError(closed);
    }
  }
}
