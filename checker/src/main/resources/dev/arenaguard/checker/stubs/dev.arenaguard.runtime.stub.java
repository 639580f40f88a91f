// Built-in library model for arena-guard's runtime library (module arena-runtime).
// BumpArena is a java.lang.foreign.Arena: allocate/allocateFrom are modelled on SegmentAllocator
// and Arena and need no entry here.
package dev.arenaguard.runtime;

interface BumpArena {
  @NewArena("runtime-confined") static BumpArena ofConfined(String name);
  @NewArena("runtime-shared") static BumpArena ofShared(String name);

  // try (var phase = arena.phase()) { ... }: what the arena allocates inside the block dies at
  // the end of the block.
  @Phase Phase phase();

  // Frees everything allocated so far; the arena stays usable.
  @Resets void reset();

  // A child arena of the same kind, reset and closed with its parent.
  @NewArena BumpArena newChild(String name);
}

interface ArenaPool {
  // A per-request arena; closing it resets it and returns it to the pool.
  @NewArena("pooled") BumpArena acquire();
}
