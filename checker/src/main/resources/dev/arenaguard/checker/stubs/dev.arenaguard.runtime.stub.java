// Built-in library model for arena-guard's runtime library (module arena-runtime). Checked
// against the real classes by the checker's tests.
// BumpArena is a java.lang.foreign.Arena: allocate/allocateFrom are modelled on SegmentAllocator
// and Arena and need no entry here.
package dev.arenaguard.runtime;

interface BumpArena {
  @NewArena("runtime-confined") static BumpArena ofConfined(String name);
  @NewArena("runtime-shared") static BumpArena ofShared(String name);

  // A builder makes confined arenas unless told otherwise.
  @ArenaFactory("runtime-confined") static Builder builder(String name);

  // try (var phase = arena.phase()) { ... }: what the arena allocates inside the block dies at
  // the end of the block.
  @Phase Phase phase();

  // Frees everything allocated so far; the arena stays usable.
  @Resets void reset();

  // A child arena of the same kind, reset and closed with its parent.
  @NewArena BumpArena newChild(String name);

  final class Builder {
    @ArenaFactory("runtime-confined") Builder confined();
    @ArenaFactory("runtime-shared") Builder shared();
    // An arena of the kind the builder was set to. (Other builder methods return the builder
    // itself and keep its kind.)
    @NewArena BumpArena build();
  }
}

final class ArenaPool {
  @ArenaFactory("runtime-confined") static ArenaPool ofConfined(String name);
  @ArenaFactory("runtime-shared") static ArenaPool ofShared(String name);
  // A pool of arenas of the template builder's kind.
  @ArenaFactory static ArenaPool of(BumpArena.Builder template, int maxIdle);

  // A per-request arena of the pool's kind; closing it resets it and returns it to the pool.
  @NewArena("pooled") BumpArena acquire();
}
