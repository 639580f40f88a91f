package dev.arenaguard.runtime;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Explains a use after reset, in the spirit of AddressSanitizer's {@code heap-use-after-free}
 * report: the access, which arena and epoch (phase or base epoch) the segment belonged to, where
 * that epoch ended ("freed by"), and where the segment was allocated ("allocated by").
 *
 * <p>The report has content for segments of arenas in debug mode ({@link
 * BumpArena.Builder#debug(boolean)} or {@code -Darenaguard.debug=true}); allocation sites are
 * recorded for sampled allocations ({@code arenaguard.debug.sampleRate}, default every one).
 * Typical use, where a stale access surfaces:
 *
 * <pre>{@code
 * try {
 *   header.get(JAVA_INT, 0);
 * } catch (IllegalStateException e) {
 *   throw ArenaDebug.explain(e, header); // message: the report; cause: the JDK's exception
 * }
 * }</pre>
 *
 * <p>Thread-safe; works from any thread and for segments of any arena (for others it says that
 * it knows nothing about them).
 */
public final class ArenaDebug {
  private ArenaDebug() {}

  /** Whether arenas are created in debug mode by default ({@code arenaguard.debug}). */
  public static boolean isEnabledByDefault() {
    return Config.defaults().debug();
  }

  /**
   * Returns the report for {@code segment}: for a segment whose epoch ended, the
   * use-after-reset report; for a live one, which arena and epoch it belongs to; for a segment of
   * no arena in debug mode, a line saying so. The calling thread's stack is reported as the
   * access.
   */
  public static String explain(MemorySegment segment) {
    Objects.requireNonNull(segment, "segment");
    EpochRecord r = EpochRecord.of(segment.scope());
    String what =
        String.format("segment 0x%x (%,d bytes)", segment.address(), segment.byteSize());
    if (r == null) {
      return "arena-guard: no debug record for "
          + what
          + ": it was not allocated by a BumpArena in debug mode"
          + (segment.scope().isAlive() ? "" : " (its scope is closed)")
          + ". Enable debug mode with -Darenaguard.debug=true or BumpArena.builder(name).debug(true).";
    }
    StringBuilder out = new StringBuilder();
    String arena = (r.shared ? "shared" : "confined") + " arena \"" + r.arenaName + "\"";
    Site endedAt = r.endedAt();
    boolean ended = !segment.scope().isAlive();
    if (ended) {
      String kind =
          switch (r.endedBy() == null ? "" : r.endedBy()) {
            case "phase close" -> "use-after-phase";
            case "close()" -> "use-after-close";
            default -> "use-after-reset";
          };
      out.append("==ERROR: arena-guard: ").append(kind).append(" on ").append(what).append('\n');
      out.append("ACCESS on thread \"")
          .append(Thread.currentThread().getName())
          .append("\" after the segment's epoch ended:\n");
      out.append(Site.capture(24).format());
      out.append("The segment belonged to ")
          .append(r.epoch)
          .append(" of ")
          .append(arena)
          .append(", created at ")
          .append(r.arenaCreatedAt)
          .append(".\n");
      if (endedAt != null) {
        out.append("FREED BY ")
            .append(r.endedBy())
            .append(" on thread \"")
            .append(endedAt.thread)
            .append("\":\n")
            .append(endedAt.format());
      } else {
        out.append("FREED BY: not recorded (the leak detector or a JVM shutdown ended it)\n");
      }
    } else {
      out.append("arena-guard: ")
          .append(what)
          .append(" is live: it belongs to ")
          .append(r.epoch)
          .append(" of ")
          .append(arena)
          .append(", created at ")
          .append(r.arenaCreatedAt)
          .append(r.ownerThread == null ? "" : "; only thread \"" + r.ownerThread + "\" may use it")
          .append(".\n");
    }
    EpochRecord.Allocation a = r.allocationAt(segment.address());
    if (a != null) {
      out.append("ALLOCATED BY thread \"")
          .append(a.site().thread)
          .append("\" (")
          .append(String.format("%,d", a.size()))
          .append(" bytes):\n")
          .append(a.site().format());
    } else {
      out.append("ALLOCATED BY: not sampled (one allocation in ")
          .append(r.sampleRate)
          .append(" is recorded; set arenaguard.debug.sampleRate=1 to record all)\n");
    }
    out.append("The epoch was opened on thread \"")
        .append(r.openedAt.thread)
        .append("\":\n")
        .append(r.openedAt.format());
    return out.toString();
  }

  /**
   * Wraps a failed access to {@code segment} into an exception whose message is {@link
   * #explain(MemorySegment)}'s report, with {@code failure} as its cause; meant to be thrown.
   */
  public static IllegalStateException explain(
      IllegalStateException failure, MemorySegment segment) {
    return new IllegalStateException(explain(segment), failure);
  }
}
