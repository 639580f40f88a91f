package dev.arenaguard.runtime;

/**
 * A root arena that became unreachable without being closed.
 *
 * <p>Its memory is freed only when that is safe: at once if no epoch of the arena (or of its
 * descendants) had an open scope, else when every such scope has become unreachable too &mdash;
 * that is, when no segment of the arena can be reached any more. Until then the memory stays
 * reserved, so a segment that is still in use never reads freed memory.
 *
 * @param arenaName the arena's name
 * @param creationSite where the arena was created ({@code Class.method(File.java:line)})
 * @param bytesReserved bytes of native chunks the arena and its descendants held
 * @param freedAtOnce whether the memory was freed at once ({@code false}: freed later, when no
 *     segment of the arena is reachable)
 */
public record LeakReport(
    String arenaName, String creationSite, long bytesReserved, boolean freedAtOnce) {

  /** The report, as it is logged. */
  public String message() {
    return String.format(
        "arena \"%s\" (created at %s) became unreachable without close(): %,d bytes reserved %s."
            + " Close arenas with try-with-resources, or take per-request arenas from an"
            + " ArenaPool.",
        arenaName,
        creationSite,
        bytesReserved,
        freedAtOnce
            ? "were freed"
            : "will be freed once no segment allocated from it is reachable");
  }
}
