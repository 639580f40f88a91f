package dev.arenaguard.runtime;

/**
 * Thrown by an allocation that would exceed a {@linkplain BumpArena.Builder#byteLimit(long) byte
 * limit} or a {@linkplain BumpArena.Builder#treeByteLimit(long) tree limit}. Nothing was
 * allocated; the arena stays usable (smaller allocations, or allocations after a reset or phase
 * end, succeed).
 */
public final class ArenaLimitExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String arenaName;
  private final String limitedArenaName;
  private final boolean treeLimit;
  private final long limit;
  private final long requested;
  private final long current;

  ArenaLimitExceededException(
      String arenaName,
      String limitedArenaName,
      boolean treeLimit,
      long limit,
      long requested,
      long current) {
    super(message(arenaName, limitedArenaName, treeLimit, limit, requested, current));
    this.arenaName = arenaName;
    this.limitedArenaName = limitedArenaName;
    this.treeLimit = treeLimit;
    this.limit = limit;
    this.requested = requested;
    this.current = current;
  }

  private static String message(
      String arena, String limited, boolean tree, long limit, long requested, long current) {
    String which =
        tree
            ? "the tree limit of arena \"" + limited + "\" (it and its descendants)"
            : "the byte limit of arena \"" + limited + "\"";
    return String.format(
        "allocation of %,d bytes in arena \"%s\" would exceed %s: limit %,d bytes, currently"
            + " allocated %,d bytes; nothing was allocated and the arena stays usable",
        requested, arena, which, limit, current);
  }

  /** The arena the failed allocation was made in. */
  public String arenaName() {
    return arenaName;
  }

  /** The arena whose limit was hit: the allocating arena, or an ancestor for a tree limit. */
  public String limitedArenaName() {
    return limitedArenaName;
  }

  /** Whether the limit hit is a tree limit. */
  public boolean isTreeLimit() {
    return treeLimit;
  }

  /** The limit, in bytes. */
  public long limit() {
    return limit;
  }

  /** The bytes the failed allocation asked for. */
  public long requested() {
    return requested;
  }

  /** The bytes counted against the limit before the failed allocation. */
  public long current() {
    return current;
  }
}
