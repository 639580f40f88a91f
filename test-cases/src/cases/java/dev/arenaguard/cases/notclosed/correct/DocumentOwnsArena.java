package dev.arenaguard.cases.notclosed.correct;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;

/**
 * A factory method creates an arena and hands it to the constructor of a document, which owns it
 * from then on and closes it in {@code close()}.
 */
public final class DocumentOwnsArena implements AutoCloseable {
  private final BumpArena arena;
  private final MemorySegment text;

  private DocumentOwnsArena(BumpArena arena, String text) {
    this.arena = arena;
    this.text = arena.allocateFrom(text);
  }

  static DocumentOwnsArena open(String text) {
    return new DocumentOwnsArena(BumpArena.ofConfined("document"), text);
  }

  long length() {
    return text.byteSize() - 1;
  }

  @Override
  public void close() {
    arena.close();
  }

  public static void main(String[] args) {
    try (DocumentOwnsArena doc = open("arenas free everything at once")) {
      if (doc.length() != 30) {
        throw new AssertionError(doc.length());
      }
    }
  }
}
