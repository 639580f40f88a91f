package dev.arenaguard.runtime;

import java.time.Duration;

/**
 * What the retention watchdog found: an arena that keeps growing without a reset.
 *
 * @param arenaName the arena's name
 * @param creationSite where the arena was created ({@code Class.method(File.java:line)})
 * @param allocationsSinceReset allocations outside any phase since creation or the last reset
 * @param bytesAllocated bytes allocated in the arena when the watchdog fired
 * @param growingFor time since the first allocation outside any phase after the last reset (or
 *     creation)
 * @param reason which threshold was crossed
 */
public record RetentionWarning(
    String arenaName,
    String creationSite,
    long allocationsSinceReset,
    long bytesAllocated,
    Duration growingFor,
    String reason) {

  /** The report, as the {@link WatchdogPolicy#LOG LOG} policy logs it. */
  public String message() {
    return String.format(
        "arena \"%s\" (created at %s) keeps growing without a reset: %s (%,d allocations outside"
            + " any phase since its last reset, %,d bytes allocated, growing for %,d ms). An arena"
            + " held by a long-lived"
            + " owner must be reset per unit of work: allocate inside phase(), reset() in a"
            + " finally, or take per-request arenas from an ArenaPool.",
        arenaName,
        creationSite,
        reason,
        allocationsSinceReset,
        bytesAllocated,
        growingFor.toMillis());
  }
}
