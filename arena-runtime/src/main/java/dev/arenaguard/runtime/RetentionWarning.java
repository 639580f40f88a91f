package dev.arenaguard.runtime;

import java.time.Duration;

/**
 * What the retention watchdog found: an arena that keeps growing without a reset.
 *
 * @param arenaName the arena's name
 * @param creationSite where the arena was created ({@code Class.method(File.java:line)})
 * @param allocationsSinceReset allocations outside any phase since creation or the last reset
 * @param bytesAllocated bytes allocated in the arena when the watchdog fired
 * @param sinceReset time since creation or the last reset
 * @param reason which threshold was crossed
 */
public record RetentionWarning(
    String arenaName,
    String creationSite,
    long allocationsSinceReset,
    long bytesAllocated,
    Duration sinceReset,
    String reason) {

  /** The report, as the {@link WatchdogPolicy#LOG LOG} policy logs it. */
  public String message() {
    return String.format(
        "arena \"%s\" (created at %s) keeps growing without a reset: %s (%,d allocations outside"
            + " any phase, %,d bytes allocated, %,d ms since %s). An arena held by a long-lived"
            + " owner must be reset per unit of work: allocate inside phase(), reset() in a"
            + " finally, or take per-request arenas from an ArenaPool.",
        arenaName,
        creationSite,
        reason,
        allocationsSinceReset,
        bytesAllocated,
        sinceReset.toMillis(),
        "its last reset or creation");
  }
}
