package dev.arenaguard.runtime;

import java.util.List;

/**
 * The arenas of this JVM, as JMX shows them: totals over every open arena, one row per arena in
 * tree order, and a dump. Register it with {@link ArenaMXBeans#register()} (or {@code
 * -Darenaguard.jmx=true}) under the name {@value ArenaMXBeans#OBJECT_NAME}; jconsole and VisualVM
 * show it under {@code dev.arenaguard > Arenas}.
 *
 * <p>An MXBean: every attribute has an open type (a row is a {@code CompositeData}), so a JMX
 * client needs none of this library's classes. Values are computed when read, from {@link
 * ArenaRegistry#roots()} and each arena's {@link BumpArena#children()} and {@link
 * BumpArena#stats()}: reading costs time linear in the number of open arenas, and nothing is
 * spent while nobody reads. Statistics of a confined arena read from the JMX thread may be
 * slightly stale.
 */
public interface ArenasMXBean {

  /** Open arenas, roots and children (pooled arenas count while open, leased or idle). */
  int getArenaCount();

  /** Bytes allocated and not yet released, summed over all open arenas. */
  long getBytesAllocated();

  /** Bytes of native chunks held from the OS, summed over all open arenas. */
  long getBytesReserved();

  /** The sum of every open arena's peak {@code bytesAllocated} (an upper bound of the peak). */
  long getPeakBytesAllocated();

  /** Allocations made by the open arenas since their creation. */
  long getAllocationCount();

  /** Resets of the open arenas since their creation. */
  long getResetCount();

  /**
   * {@link #getBytesReserved()} per {@link #getBytesAllocated()} byte (see {@link
   * ArenaStats#reservedToAllocatedRatio()}).
   */
  double getReservedToAllocatedRatio();

  /** One row per open arena, each root followed by its subtree, depth first. */
  List<ArenaInfo> getArenas();

  /** {@link BumpArena#dump()} of every open root arena, then a grand total. */
  String dump();

  /**
   * One open arena, as a row of {@link #getArenas()}.
   *
   * @param id the arena's id, unique in this JVM; JFR events carry the same id
   * @param name the arena's name
   * @param path the names from the root to this arena, joined with {@code /}
   * @param parentId the parent's id, 0 for a root
   * @param depth 0 for a root, 1 for its children, ...
   * @param kind {@code confined} or {@code shared}
   * @param pool the name of the pool the arena belongs to, or the empty string
   * @param createdAt where the arena was created ({@code Class.method(File.java:line)})
   * @param bytesAllocated see {@link ArenaStats}; this arena alone, not its children
   * @param bytesReserved see {@link ArenaStats}
   * @param peakBytesAllocated see {@link ArenaStats}
   * @param allocationCount see {@link ArenaStats}
   * @param resetCount see {@link ArenaStats}
   * @param chunks see {@link ArenaStats}
   * @param chunkReservations see {@link ArenaStats}
   * @param reservedToAllocatedRatio see {@link ArenaStats#reservedToAllocatedRatio()}
   */
  record ArenaInfo(
      long id,
      String name,
      String path,
      long parentId,
      int depth,
      String kind,
      String pool,
      String createdAt,
      long bytesAllocated,
      long bytesReserved,
      long peakBytesAllocated,
      long allocationCount,
      long resetCount,
      long chunks,
      long chunkReservations,
      double reservedToAllocatedRatio) {}
}
