package dev.arenaguard.cases.threadconfinement.buggy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A session keeps {@code Arena.ofConfined()} in a field for its pending writes and is later
 * flushed from an executor (SPEC §5); the flushing thread reads memory of the session's confined
 * arena.
 */
public final class SessionFlusher {

  static final class Session implements AutoCloseable {
    private final Arena arena = Arena.ofConfined();
    private MemorySegment pending = MemorySegment.NULL;

    void write(String command) {
      pending = arena.allocateFrom(command);
    }

    String flush() {
      return pending.getString(0);
    }

    @Override
    public void close() {
      arena.close();
    }
  }

  public static void main(String[] args) throws Exception {
    try (Session session = new Session();
        ExecutorService flusher = Executors.newSingleThreadExecutor()) {
      session.write("SET user:7 alice");
      String sent = flusher.submit(session::flush).get(); // BUG: ArenaThreadConfinement
      System.out.println("flushed " + sent);
    }
  }
}
