package dev.arenaguard.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Statistics per arena and per tree, and the tree dump. */
class StatsTest {

  @Test
  void statsCountRequestedBytesChunksPeakAndResets() {
    try (BumpArena arena = BumpArena.builder("stats").chunkSize(1024).build()) {
      arena.allocate(100, 1);
      arena.allocate(200, 64);
      ArenaStats s = arena.stats();
      assertEquals("stats", s.name());
      assertEquals(300, s.bytesAllocated(), "padding is not counted");
      assertEquals(1024, s.bytesReserved());
      assertEquals(1, s.chunks());
      assertEquals(2, s.allocationCount());
      assertEquals(1024.0 / 300, s.reservedToAllocatedRatio(), 1e-9);
      arena.allocate(5000); // larger than a chunk: a chunk of its own
      assertEquals(1024 + 5000, arena.stats().bytesReserved());
      assertEquals(5300, arena.stats().peakBytesAllocated());
      arena.reset();
      s = arena.stats();
      assertEquals(0, s.bytesAllocated());
      assertEquals(5300, s.peakBytesAllocated());
      assertEquals(1, s.resetCount());
      assertEquals(3, s.allocationCount());
      assertEquals(Double.POSITIVE_INFINITY, s.reservedToAllocatedRatio());
    }
    assertTrue(Double.isNaN(new ArenaStats("x", 0, 0, 0, 0, 0, 0, 0).reservedToAllocatedRatio()));
  }

  @Test
  void treeStatsSumTheSubtreeAndTheDumpShowsIt() {
    try (BumpArena root = BumpArena.builder("query").chunkSize(4096).build()) {
      BumpArena parse = root.newChild("parse");
      BumpArena execute = root.newChild("execute");
      BumpArena tuple = execute.newChild("per-tuple");
      root.allocate(10);
      parse.allocate(20);
      execute.allocate(30);
      tuple.allocate(40);
      tuple.reset();
      ArenaStats tree = root.treeStats();
      assertEquals(60, tree.bytesAllocated());
      assertEquals(4 * 4096, tree.bytesReserved());
      assertEquals(4, tree.allocationCount());
      assertEquals(1, tree.resetCount());
      assertEquals(70, execute.treeStats().peakBytesAllocated());
      assertEquals(List.of(parse, execute), root.children());
      String dump = root.dump();
      List<String> lines = dump.lines().toList();
      assertEquals(5, lines.size(), dump);
      assertTrue(lines.get(0).startsWith("query (confined): 4,096 bytes in 1 chunks; 10 bytes allocated"), dump);
      assertTrue(lines.get(1).startsWith("  parse (confined)"), dump);
      assertTrue(lines.get(3).startsWith("    per-tuple (confined): 4,096 bytes in 1 chunks; 0 bytes allocated in 1 allocations (peak 40); 1 resets"), dump);
      assertTrue(lines.get(4).startsWith("Grand total: 16,384 bytes in 4 chunks; 60 bytes allocated in 4 allocations"), dump);
    }
  }

  @Test
  void allocationHonoursSizeAlignmentAndZeroing() {
    try (BumpArena arena = BumpArena.builder("align").chunkSize(256).build()) {
      List<java.lang.foreign.MemorySegment> all = new ArrayList<>();
      for (long align : new long[] {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 4096}) {
        java.lang.foreign.MemorySegment s = arena.allocate(24, align);
        assertEquals(0, s.address() % align, "aligned to " + align);
        assertEquals(24, s.byteSize());
        s.fill((byte) -1);
        all.add(s);
      }
      java.lang.foreign.MemorySegment empty = arena.allocate(0);
      assertEquals(0, empty.byteSize());
      assertTrue(arena.allocateFrom("text").getString(0).equals("text"));
      for (java.lang.foreign.MemorySegment s : all) {
        for (byte b : s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)) {
          assertEquals(-1, b, "no allocation overwrote another");
        }
      }
      arena.reset();
      java.lang.foreign.MemorySegment again = arena.allocate(24, 1);
      for (byte b : again.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)) {
        assertEquals(0, b, "reused memory is zeroed");
      }
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> arena.allocate(-1));
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> arena.allocate(8, 3));
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> arena.allocate(8, 0));
    }
  }

  @Test
  void aBumpArenaWorksWithNativeCalls() throws Throwable {
    java.lang.foreign.Linker linker = java.lang.foreign.Linker.nativeLinker();
    java.lang.invoke.MethodHandle strlen =
        linker.downcallHandle(
            linker.defaultLookup().findOrThrow("strlen"),
            java.lang.foreign.FunctionDescriptor.of(
                java.lang.foreign.ValueLayout.JAVA_LONG, java.lang.foreign.ValueLayout.ADDRESS));
    try (BumpArena arena = BumpArena.ofConfined("ffi");
        Phase call = arena.phase()) {
      assertEquals(11L, (long) strlen.invokeExact(arena.allocateFrom("arena-guard")));
    }
  }
}
