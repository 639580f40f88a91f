package dev.arenaguard.checker.core;

import java.util.Locale;
import java.util.Optional;

/**
 * What kind of arena an expression denotes, as far as the code shows.
 *
 * <p>The kind decides which rules apply: values of unbounded arenas ({@link #GLOBAL}, {@link #AUTO})
 * cannot dangle through escape into Java objects; confined arenas may not be used by another
 * thread at all; shared arenas may, when the task is awaited inside the arena's scope.
 */
public enum ArenaKind {
  /** {@code Arena.ofConfined()}: one thread, freed on close. */
  CONFINED,
  /** {@code Arena.ofShared()}: any thread, freed on close. */
  SHARED,
  /** {@code Arena.ofAuto()}: freed when the garbage collector finds its memory unreachable. */
  AUTO,
  /** {@code Arena.global()}: never freed. */
  GLOBAL,
  /** A confined arena of arena-guard's runtime library. */
  RUNTIME_CONFINED,
  /** A shared arena of arena-guard's runtime library. */
  RUNTIME_SHARED,
  /**
   * An arena taken from an {@code ArenaPool}: reset and returned to the pool on close. Whether it
   * is confined or shared is not visible (the pool is a parameter, say).
   */
  POOLED,
  /** An arena taken from a pool of confined arenas: owned by the thread that acquired it. */
  POOLED_CONFINED,
  /** An arena taken from a pool of shared arenas. */
  POOLED_SHARED,
  /** An arena whose creation is not visible here (a parameter, a field of another class). */
  UNKNOWN;

  /** Only the creating thread may use the arena or its memory. */
  public boolean isConfined() {
    return this == CONFINED || this == RUNTIME_CONFINED || this == POOLED_CONFINED;
  }

  /** A lease from an {@code ArenaPool}: reset when it is closed, so it never grows across uses. */
  public boolean isPooled() {
    return this == POOLED || this == POOLED_CONFINED || this == POOLED_SHARED;
  }

  /**
   * This kind for an arena of a pool whose arenas are of kind {@code template} ({@link #POOLED}
   * when the template's kind is not known).
   */
  public ArenaKind pooled() {
    if (isConfined()) {
      return POOLED_CONFINED;
    }
    return this == SHARED || this == RUNTIME_SHARED || this == POOLED_SHARED ? POOLED_SHARED : POOLED;
  }

  /** The arena never frees memory that Java code still references. */
  public boolean isUnbounded() {
    return this == GLOBAL || this == AUTO;
  }

  /** The name used in stub files ({@code @NewArena("runtime-confined")}) and diagnostics. */
  public String stubName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses a {@link #stubName()}. */
  public static Optional<ArenaKind> fromStubName(String name) {
    for (ArenaKind kind : values()) {
      if (kind.stubName().equals(name)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
