package dev.arenaguard.cases.annotationmisuse.buggy;

import dev.arenaguard.annotations.ArenaScoped;
import dev.arenaguard.annotations.OutlivesArena;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Implementations weaken their interfaces' contracts: one returns arena-scoped memory where the
 * interface promises a long-lived value, another demands {@code @OutlivesArena} for a parameter
 * the interface only borrows.
 */
public final class WeakeningOverrides {
  interface Dictionary {
    MemorySegment lookup(String word);
  }

  interface Sink {
    void accept(MemorySegment record);
  }

  static final class ArenaDictionary implements Dictionary {
    private final Arena arena = Arena.ofAuto();

    @Override
    @ArenaScoped // BUG: ArenaAnnotationMisuse
    public MemorySegment lookup(String word) {
      return arena.allocateFrom(word);
    }
  }

  static final class KeepingSink implements Sink {
    final List<MemorySegment> kept = new ArrayList<>();

    @Override
    public void accept(@OutlivesArena MemorySegment record) { // BUG: ArenaAnnotationMisuse
      kept.add(record);
    }
  }

  public static void main(String[] args) {
    Dictionary dictionary = new ArenaDictionary();
    KeepingSink sink = new KeepingSink();
    sink.accept(dictionary.lookup("arena"));
    System.out.println(sink.kept.size() + " records");
  }
}
