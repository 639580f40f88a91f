package dev.arenaguard.runtime;

/**
 * A snapshot of an arena's (or a tree's) memory use, as {@link BumpArena#stats()} and {@link
 * BumpArena#treeStats()} return it.
 *
 * @param name the arena's name (for a tree, the root's)
 * @param bytesAllocated bytes allocated and not yet released by a reset or phase end, counted by
 *     the sizes requested (alignment padding is not counted)
 * @param bytesReserved bytes of native chunks currently held from the OS: in use, kept for reuse,
 *     or beyond the retained capacity and due to go back at the arena's next allocation
 * @param peakBytesAllocated the highest {@code bytesAllocated} so far (for a tree, the sum of the
 *     members' peaks: an upper bound of the tree's peak)
 * @param allocationCount allocations made since creation
 * @param resetCount resets since creation (a reset of a parent counts for each descendant)
 * @param chunks native chunks currently held
 * @param chunkReservations chunks reserved from the OS since creation; stays flat while the arena
 *     reuses its retained chunks
 */
public record ArenaStats(
    String name,
    long bytesAllocated,
    long bytesReserved,
    long peakBytesAllocated,
    long allocationCount,
    long resetCount,
    long chunks,
    long chunkReservations) {

  /**
   * Reserved bytes per allocated byte, what jemalloc's {@code stats.resident / stats.allocated}
   * tells: 1.0 is perfect, a high value means chunks held for little data. {@code
   * Double.POSITIVE_INFINITY} when chunks are held but nothing is allocated, {@code Double.NaN}
   * when neither.
   */
  public double reservedToAllocatedRatio() {
    if (bytesAllocated == 0) {
      return bytesReserved == 0 ? Double.NaN : Double.POSITIVE_INFINITY;
    }
    return (double) bytesReserved / bytesAllocated;
  }

  ArenaStats plus(ArenaStats other) {
    return new ArenaStats(
        name,
        bytesAllocated + other.bytesAllocated,
        bytesReserved + other.bytesReserved,
        peakBytesAllocated + other.peakBytesAllocated,
        allocationCount + other.allocationCount,
        resetCount + other.resetCount,
        chunks + other.chunks,
        chunkReservations + other.chunkReservations);
  }
}
