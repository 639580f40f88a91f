package dev.arenaguard.runtime;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Explains a use after reset, in the spirit of AddressSanitizer's {@code heap-use-after-free}
 * report: the access, which arena and epoch (phase or base epoch) the segment belonged to, where
 * that epoch ended ("freed by"), and where the segment was allocated ("allocated by").
 *
 * <p>The report has content for segments of arenas in debug mode ({@link
 * BumpArena.Builder#debug(boolean)} or {@code -Darenaguard.debug=true}); allocation sites are
 * recorded for sampled allocations and epochs ({@code arenaguard.debug.sampleRate}, default one in
 * 256).
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
 * <p>Where the segment is not at hand &mdash; a test framework or a request handler that catches
 * the JDK's {@code IllegalStateException: Already closed} &mdash; {@link #explainFailure(Throwable,
 * Collection)} finds it among the ended epochs whose segments are still reachable.
 *
 * <p>Thread-safe; works from any thread and for segments of any arena (for others it says that
 * it knows nothing about them).
 */
public final class ArenaDebug {
  private static final String HOW_TO_ENABLE =
      "-Darenaguard.debug=true or BumpArena.builder(name).debug(true)";

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
    String what = describe(segment.address(), segment.byteSize());
    if (r == null) {
      return "arena-guard: no debug record for "
          + what
          + ": it was not allocated by a BumpArena in debug mode"
          + (segment.scope().isAlive() ? "" : " (its scope is closed)")
          + ". Enable debug mode with "
          + HOW_TO_ENABLE
          + ".";
    }
    StringBuilder out = new StringBuilder();
    if (!segment.scope().isAlive()) {
      out.append("==ERROR: arena-guard: ").append(kind(r.endedBy())).append(" on ").append(what);
      out.append("\nACCESS on thread \"")
          .append(Thread.currentThread().getName())
          .append("\" after the segment's epoch ended:\n");
      out.append(Site.capture(Site.MAX_FRAMES).format());
      appendEpoch(out, r);
    } else {
      out.append("arena-guard: ")
          .append(what)
          .append(" is live: it belongs to ")
          .append(r.epoch())
          .append(" of ")
          .append(r.describeArena())
          .append(", created at ")
          .append(r.arenaCreatedAt())
          .append(r.ownerThread == null ? "" : "; only thread \"" + r.ownerThread + "\" may use it")
          .append(".\n");
    }
    appendAllocation(out, r, r.allocationAt(segment.address()));
    appendOpened(out, r);
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

  /**
   * Whether {@code failure} is the JDK's failure of an access to a segment whose scope is closed
   * ({@code IllegalStateException: Already closed}): for a segment of a {@link BumpArena}, a use
   * after reset, phase end or close. Looks at {@code failure} itself, not at its causes.
   */
  public static boolean isUseAfterReset(Throwable failure) {
    if (!(failure instanceof IllegalStateException) || !"Already closed".equals(failure.getMessage())) {
      return false;
    }
    return Arrays.stream(failure.getStackTrace())
        .anyMatch(f -> f.getClassName().startsWith("jdk.internal.foreign."));
  }

  /**
   * Explains a use after reset when the stale segment is not at hand, only the failure: what a
   * test framework or a request handler sees when the JDK's {@code IllegalStateException: Already
   * closed} escapes. The access is the failure's stack.
   *
   * <p>The segment is looked for among the epochs, recorded in debug mode, that have ended but
   * still have a reachable segment: a stale segment is one that something still refers to. This
   * method runs a garbage collection first ({@link System#gc()}; it is meant for failure paths),
   * so only segments that are really kept count. If exactly one ended epoch (or, among several,
   * exactly one of {@code arenasUsed}) still has reachable segments, the report names it, and if
   * exactly one of its sampled segment objects is reachable, the allocation site too &mdash; the
   * same report as {@link #explain(MemorySegment)}, with a line saying how the segment was
   * identified. Otherwise the report says that the segment could not be identified exactly and
   * describes the candidates, or, if there are none, the most recently ended epochs of {@code
   * arenasUsed} (or of all arenas, if it is empty).
   *
   * <p>Only arenas in debug mode have records; a segment sliced or copied from the allocated one
   * identifies its epoch but not its allocation.
   *
   * @param failure the failure, typically one for which {@link #isUseAfterReset(Throwable)} holds
   * @param arenasUsed the arenas the failing code used (leases and closed arenas are fine), to
   *     choose among candidates and to describe; may be empty
   */
  public static String explainFailure(Throwable failure, Collection<? extends BumpArena> arenasUsed) {
    Objects.requireNonNull(failure, "failure");
    Set<Long> used = new HashSet<>();
    boolean usedInDebug = arenasUsed.isEmpty();
    for (BumpArena arena : arenasUsed) {
      ArenaImpl core = ArenaImpl.core(arena);
      if (core != null) {
        used.add(core.id);
        usedInDebug |= core.config.debug();
      }
    }
    String hint =
        usedInDebug
            ? ""
            : "None of the arenas used is in debug mode, so their segments have no records: enable"
                + " it with "
                + HOW_TO_ENABLE
                + ".\n";
    if (!EpochRecord.anyRecorded()) {
      return "arena-guard: "
          + failure
          + " is a use after reset, phase end or close, but no arena is in debug mode, so there is"
          + " no record of it. Enable debug mode with "
          + HOW_TO_ENABLE
          + ".";
    }
    System.gc(); // a kept segment is the stale one: let go of every segment that is not kept
    List<EpochRecord> candidates = new ArrayList<>();
    List<EpochRecord> others = new ArrayList<>();
    for (EpochRecord r : EpochRecord.endedButReachable()) {
      (used.isEmpty() || used.contains(r.arenaId) ? candidates : others).add(r);
    }
    String access = accessFrames(failure);
    StringBuilder out = new StringBuilder();
    if (candidates.size() == 1) {
      EpochRecord r = candidates.get(0);
      List<EpochRecord.Allocation> kept = r.reachableAllocations();
      EpochRecord.Allocation a = kept.size() == 1 ? kept.get(0) : null;
      out.append("==ERROR: arena-guard: ")
          .append(kind(r.endedBy()))
          .append(" on ")
          .append(a != null ? describe(a.address(), a.size()) : "a segment")
          .append("\nACCESS (the failure's stack):\n")
          .append(access);
      appendEpoch(out, r);
      if (a != null) {
        appendAllocation(out, r, a);
      } else {
        out.append("ALLOCATED BY: not identified exactly: ");
        if (kept.isEmpty()) {
          out.append("no segment object it handed out is reachable, so a slice or a copy of one is")
              .append(" kept; sampled allocations of the epoch:\n");
          appendSites(out, r.firstAllocations(3), r.sampled());
        } else {
          out.append(kept.size()).append(" segments of the epoch are still reachable:\n");
          appendSites(out, kept, kept.size());
        }
      }
      appendOpened(out, r);
      out.append("(Identified as the only ended epoch")
          .append(used.isEmpty() ? "" : " of the arenas used")
          .append(" that still has a reachable segment")
          .append(a != null ? ", and its only reachable segment" : "")
          .append(".)\n");
      return out.append(hint).toString();
    }
    out.append("==ERROR: arena-guard: use after reset, phase end or close (")
        .append(failure)
        .append(")\nACCESS (the failure's stack):\n")
        .append(access);
    if (!candidates.isEmpty()) {
      out.append("The segment could not be identified exactly: ")
          .append(candidates.size())
          .append(" ended epochs")
          .append(used.isEmpty() ? "" : " of the arenas used")
          .append(" still have reachable segments. Candidates:\n");
      appendCandidates(out, candidates);
      return out.append(hint).toString();
    }
    out.append("The segment could not be identified: no segment of an ended epoch")
        .append(used.isEmpty() ? "" : " of the arenas used")
        .append(" is still reachable (the segment came from an arena not in debug mode, or the")
        .append(" reference to it is gone).\n");
    if (!others.isEmpty()) {
      out.append("Ended epochs of other arenas that still have reachable segments:\n");
      appendCandidates(out, others);
    }
    out.append("The most recently ended epochs")
        .append(used.isEmpty() ? "" : " of the arenas used")
        .append(", most recent first:\n");
    int listed = 0;
    for (EpochRecord e : EpochRecord.recentlyEnded()) {
      if (listed < 5 && (used.isEmpty() || used.contains(e.arenaId))) {
        listed++;
        out.append("- ")
            .append(e.epoch())
            .append(" of ")
            .append(e.describeArena())
            .append(", FREED BY ")
            .append(e.endedBy())
            .append(" on thread \"")
            .append(e.endedAt().thread)
            .append("\":\n")
            .append(e.endedAt().format())
            .append("  sampled allocations:\n");
        appendSites(out, e.firstAllocations(3), e.sampled());
      }
    }
    if (listed == 0) {
      out.append("  (none recorded)\n");
    }
    return out.append(hint).toString();
  }

  /** Up to five epochs, each with its reachable segments. */
  private static void appendCandidates(StringBuilder out, List<EpochRecord> epochs) {
    for (EpochRecord r : epochs.subList(0, Math.min(5, epochs.size()))) {
      out.append("- ");
      appendEpoch(out, r);
      List<EpochRecord.Allocation> kept = r.reachableAllocations();
      out.append("  reachable segments:\n");
      appendSites(out, kept, kept.size());
    }
    if (epochs.size() > 5) {
      out.append("- ... and ").append(epochs.size() - 5).append(" more\n");
    }
  }

  /**
   * Where {@code arena} was created, as {@code Class.method(File.java:line)}: the first frame
   * outside this library. For a lease from an {@link ArenaPool}, where the pool created the arena.
   *
   * @throws IllegalArgumentException if {@code arena} is not a {@code BumpArena} of this library
   */
  public static String creationSite(BumpArena arena) {
    return core(arena).createdAt.top();
  }

  /**
   * The stack recorded when {@code arena} was created, outside this library: one frame, or up to
   * 24 for an arena in debug mode.
   *
   * @throws IllegalArgumentException if {@code arena} is not a {@code BumpArena} of this library
   */
  public static List<StackTraceElement> creationStack(BumpArena arena) {
    return List.of(core(arena).createdAt.frames());
  }

  private static ArenaImpl core(BumpArena arena) {
    ArenaImpl core = ArenaImpl.core(Objects.requireNonNull(arena, "arena"));
    if (core == null) {
      throw new IllegalArgumentException("not an arena-guard BumpArena: " + arena);
    }
    return core;
  }

  private static String describe(long address, long size) {
    return String.format("segment 0x%x (%,d bytes)", address, size);
  }

  private static String kind(String endedBy) {
    return switch (endedBy == null ? "" : endedBy) {
      case "phase close" -> "use-after-phase";
      case "close()" -> "use-after-close";
      default -> "use-after-reset";
    };
  }

  /** Which epoch of which arena, and what ended it. */
  private static void appendEpoch(StringBuilder out, EpochRecord r) {
    out.append("The segment belonged to ")
        .append(r.epoch())
        .append(" of ")
        .append(r.describeArena())
        .append(", created at ")
        .append(r.arenaCreatedAt())
        .append(".\n");
    Site endedAt = r.endedAt();
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
  }

  private static void appendAllocation(StringBuilder out, EpochRecord r, EpochRecord.Allocation a) {
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
  }

  private static void appendOpened(StringBuilder out, EpochRecord r) {
    Site site = r.opening.site();
    out.append("The epoch was opened by ")
        .append(r.opening.call())
        .append(" on thread \"")
        .append(site.thread)
        .append("\":\n")
        .append(site.format());
  }

  /** Up to three of {@code total} allocations, by size and first frame. */
  private static void appendSites(
      StringBuilder out, List<EpochRecord.Allocation> allocations, long total) {
    if (total == 0) {
      out.append("    (none recorded)\n");
    }
    for (EpochRecord.Allocation a : allocations.subList(0, Math.min(3, allocations.size()))) {
      out.append("    ")
          .append(describe(a.address(), a.size()))
          .append(" allocated at ")
          .append(a.site().top())
          .append('\n');
    }
    if (total > 3) {
      out.append("    ... and ").append(total - 3).append(" more\n");
    }
  }

  /** The failure's frames from the first one outside the JDK's memory access code. */
  private static String accessFrames(Throwable failure) {
    List<StackTraceElement> frames = new ArrayList<>(List.of(failure.getStackTrace()));
    while (!frames.isEmpty() && isJdkAccessFrame(frames.get(0).getClassName())) {
      frames.remove(0);
    }
    StringBuilder out = new StringBuilder();
    for (StackTraceElement f : frames.subList(0, Math.min(24, frames.size()))) {
      out.append("    at ").append(f).append('\n');
    }
    return out.isEmpty() ? "    (no frames)\n" : out.toString();
  }

  private static boolean isJdkAccessFrame(String className) {
    return className.startsWith("jdk.internal.")
        || className.startsWith("java.lang.foreign.")
        || className.startsWith("java.lang.invoke.")
        || className.startsWith("sun.");
  }
}
