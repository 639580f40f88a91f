package dev.arenaguard.checker.core;

/**
 * How long an arena-backed value may live: the kind of region during which its arena is open
 * (SPEC §1, "scope of a value").
 */
public enum ScopeKind {
  /** A try-with-resources block: the arena, or a phase of it, closes at the end of the block. */
  BLOCK(true),
  /** An arena the method closes or resets itself with a call. */
  CLOSED_IN_METHOD(true),
  /** A parameter arena: open at least for the call; the caller owns it. */
  PARAMETER(true),
  /** A borrowed parameter value (a {@code MemorySegment} parameter): valid for the call. */
  BORROWED(true),
  /** An arena in a field of {@code this}: valid while the owner object keeps it open. */
  OWNER(true),
  /** The arena of another object, through a method declared {@code @ArenaScoped}. */
  RECEIVER(true),
  /** {@code Arena.ofAuto()}: valid while Java code references the memory. */
  AUTO(false),
  /** {@code Arena.global()}: never freed. */
  GLOBAL(false),
  /** An arena nobody closes here (leaked, or kept in a static): its memory does not dangle. */
  UNCLOSED(false);

  private final boolean bounded;

  ScopeKind(boolean bounded) {
    this.bounded = bounded;
  }

  /** Whether values of this scope can dangle when kept too long by Java code. */
  public boolean isBounded() {
    return bounded;
  }

  /** Whether the arena is closed within the method that holds the value. */
  public boolean endsInMethod() {
    return this == BLOCK || this == CLOSED_IN_METHOD;
  }
}
