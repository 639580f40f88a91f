package dev.arenaguard.runtime;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Throttle;
import jdk.jfr.Timespan;

/**
 * The JDK Flight Recorder events of arena-guard, named {@code dev.arenaguard.*}, in the category
 * "arena-guard". No event is emitted per allocation. Each helper returns at once, after one
 * volatile read, while Flight Recorder was never started in this JVM; after that it creates the
 * event and fills it only if a recording wants it ({@code shouldCommit()}).
 *
 * <p>Every event carries the arena's name and its id (unique in this JVM, the same in every event
 * and in the JMX view, {@link ArenasMXBean}), so that events of arenas with the same name can be
 * told apart.
 */
final class ArenaEvents {
  private ArenaEvents() {}

  /** The fields and settings every arena-guard event shares. */
  @Category("arena-guard")
  @StackTrace(false)
  abstract static class ArenaEvent extends Event {
    @Label("Arena")
    @Description("The arena's name")
    String arena;

    @Label("Arena Id")
    @Description("The arena's id, unique in this JVM (the same in every event and in JMX)")
    long arenaId;

    final void of(ArenaImpl a) {
      arena = a.name;
      arenaId = a.id;
    }
  }

  @Name("dev.arenaguard.ArenaCreated")
  @Label("Arena Created")
  @Description("A root or child arena was created (a pooled arena: when its pool first made it).")
  @StackTrace(true)
  static final class Created extends ArenaEvent {
    @Label("Kind")
    @Description("confined or shared")
    String kind;

    @Label("Parent")
    @Description("The parent arena's name, for a child arena")
    String parent;

    @Label("Parent Id")
    @Description("The parent arena's id, 0 for a root arena")
    long parentId;

    @Label("Pool")
    @Description("The name of the pool the arena belongs to, if any")
    String pool;
  }

  @Name("dev.arenaguard.ArenaClosed")
  @Label("Arena Closed")
  @Description("An arena was closed and its native memory returned to the OS.")
  static final class Closed extends ArenaEvent {
    @Label("Bytes Released")
    @Description("Bytes still allocated in it (not in its children) that the close released")
    @DataAmount
    long bytesReleased;

    @Label("Bytes Reserved")
    @Description("Bytes of native chunks it held, returned to the OS by the close")
    @DataAmount
    long bytesReserved;

    @Label("Peak Bytes Allocated")
    @DataAmount
    long peakBytesAllocated;

    @Label("Allocations")
    @Description("Allocations over its life")
    long allocations;

    @Label("Resets")
    @Description("Resets over its life")
    long resets;

    @Label("Lifetime")
    @Timespan(Timespan.NANOSECONDS)
    long lifetime;
  }

  @Name("dev.arenaguard.ArenaReset")
  @Label("Arena Reset")
  @Description(
      "An arena's base epoch ended by a reset (also for each descendant of a reset arena). The"
          + " duration is the reset's cost: on a shared arena, a thread handshake.")
  @Throttle("1000/s")
  static final class Reset extends ArenaEvent {
    @Label("Bytes Released")
    @Description("Bytes allocated in the base epoch that the reset released")
    @DataAmount
    long bytesReleased;

    @Label("Bytes Reserved")
    @Description("Bytes of native chunks still held after the reset (the retained capacity)")
    @DataAmount
    long bytesReserved;
  }

  @Name("dev.arenaguard.PhaseEnded")
  @Label("Arena Phase Ended")
  @Description("A phase of an arena ended and released what was allocated in it.")
  @Throttle("1000/s")
  static final class PhaseEnded extends ArenaEvent {
    @Label("Depth")
    @Description("1 for a phase opened directly in the arena, 2 for one inside it, ...")
    int depth;

    @Label("Bytes Released")
    @DataAmount
    long bytesReleased;
  }

  @Name("dev.arenaguard.RetentionWarning")
  @Label("Arena Retention Warning")
  @Description("An arena keeps growing without a reset: it is held by a long-lived owner.")
  @StackTrace(true)
  static final class Retention extends ArenaEvent {
    @Label("Created At")
    @Description("Where the arena was created")
    String creationSite;

    @Label("Allocations Since Reset")
    long allocations;

    @Label("Bytes Allocated")
    @DataAmount
    long bytesAllocated;

    @Label("Growing For")
    @Timespan(Timespan.MILLISECONDS)
    long growingFor;

    @Label("Reason")
    @Description("Which watchdog threshold was crossed")
    String reason;
  }

  @Name("dev.arenaguard.LimitExceeded")
  @Label("Arena Limit Exceeded")
  @Description("An allocation was refused by a byte limit; the arena stays usable.")
  @StackTrace(true)
  static final class LimitExceeded extends ArenaEvent {
    @Label("Limit Of")
    @Description("The arena whose limit was hit (the arena itself or an ancestor)")
    String limitArena;

    @Label("Tree Limit")
    @Description("Whether the limit is a tree limit (it counts descendants' allocations)")
    boolean treeLimit;

    @Label("Limit")
    @DataAmount
    long limit;

    @Label("Requested")
    @DataAmount
    long requested;

    @Label("Allocated")
    @Description("Bytes counted against the limit before the refused allocation")
    @DataAmount
    long allocated;
  }

  @Name("dev.arenaguard.ArenaLeaked")
  @Label("Arena Leaked")
  @Description("A root arena became unreachable without being closed.")
  static final class Leaked extends ArenaEvent {
    @Label("Created At")
    @Description("Where the arena was created")
    String creationSite;

    @Label("Bytes Reserved")
    @Description("Bytes of native chunks the arena and its descendants held")
    @DataAmount
    long bytesReserved;

    @Label("Freed At Once")
    @Description("false: freed later, once no segment of the arena is reachable")
    boolean freedAtOnce;
  }

  static void created(ArenaImpl a) {
    if (!FlightRecorder.isInitialized()) {
      return;
    }
    Created e = new Created();
    if (e.shouldCommit()) {
      e.of(a);
      e.kind = a.isShared() ? "shared" : "confined";
      if (a.parent != null) {
        e.parent = a.parent.name;
        e.parentId = a.parent.id;
      }
      e.pool = a.pool == null ? null : a.pool.name();
      e.commit();
    }
  }

  static void closed(ArenaImpl a, long bytesReleased, ArenaStats last) {
    if (!FlightRecorder.isInitialized()) {
      return;
    }
    Closed e = new Closed();
    if (e.shouldCommit()) {
      e.of(a);
      e.bytesReleased = bytesReleased;
      e.bytesReserved = last.bytesReserved();
      e.peakBytesAllocated = last.peakBytesAllocated();
      e.allocations = last.allocationCount();
      e.resets = last.resetCount();
      e.lifetime = System.nanoTime() - a.createdNanos;
      e.commit();
    }
  }

  /** Starts timing a reset; returns null when no recording wants the event. */
  static Reset beginReset() {
    if (!FlightRecorder.isInitialized()) {
      return null;
    }
    Reset e = new Reset();
    if (!e.isEnabled()) {
      return null;
    }
    e.begin();
    return e;
  }

  static void endReset(Reset e, ArenaImpl a, long bytesReleased) {
    if (e != null) {
      e.end();
      if (e.shouldCommit()) {
        e.of(a);
        e.bytesReleased = bytesReleased;
        e.bytesReserved = a.memory.reservedBytes();
        e.commit();
      }
    }
  }

  static void phaseEnded(ArenaImpl a, int depth, long bytesReleased) {
    if (!FlightRecorder.isInitialized()) {
      return;
    }
    PhaseEnded e = new PhaseEnded();
    if (e.shouldCommit()) {
      e.of(a);
      e.depth = depth;
      e.bytesReleased = bytesReleased;
      e.commit();
    }
  }

  static void retention(ArenaImpl a, RetentionWarning warning) {
    if (!FlightRecorder.isInitialized()) {
      return;
    }
    Retention e = new Retention();
    if (e.shouldCommit()) {
      e.of(a);
      e.creationSite = warning.creationSite();
      e.allocations = warning.allocationsSinceReset();
      e.bytesAllocated = warning.bytesAllocated();
      e.growingFor = warning.growingFor().toMillis();
      e.reason = warning.reason();
      e.commit();
    }
  }

  static void limitExceeded(ArenaImpl a, ArenaLimitExceededException x) {
    if (!FlightRecorder.isInitialized()) {
      return;
    }
    LimitExceeded e = new LimitExceeded();
    if (e.shouldCommit()) {
      e.of(a);
      e.limitArena = x.limitedArenaName();
      e.treeLimit = x.isTreeLimit();
      e.limit = x.limit();
      e.requested = x.requested();
      e.allocated = x.current();
      e.commit();
    }
  }

  static void leaked(long arenaId, LeakReport report) {
    if (!FlightRecorder.isInitialized()) {
      return;
    }
    Leaked e = new Leaked();
    if (e.shouldCommit()) {
      e.arena = report.arenaName();
      e.arenaId = arenaId;
      e.creationSite = report.creationSite();
      e.bytesReserved = report.bytesReserved();
      e.freedAtOnce = report.freedAtOnce();
      e.commit();
    }
  }
}
