package dev.arenaguard.cases.notclosed.buggy;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * An index segment writer buffers its terms in an arena field, but the class has no method that
 * closes it; every writer leaves its arena to the garbage collector.
 */
public final class SegmentWriter {
  private final BumpArena terms = BumpArena.ofConfined("segment-writer"); // BUG: ArenaNotClosed
  private final List<MemorySegment> buffered = new ArrayList<>();

  void add(String term) {
    buffered.add(terms.allocateFrom(term));
  }

  long flush() {
    long bytes = 0;
    for (MemorySegment term : buffered) {
      bytes += term.byteSize();
    }
    buffered.clear();
    return bytes;
  }

  public static void main(String[] args) {
    SegmentWriter writer = new SegmentWriter();
    for (String term : "the quick brown fox jumps over the lazy dog".split(" ")) {
      writer.add(term);
    }
    System.out.println(writer.flush() + " bytes flushed");
  }
}
