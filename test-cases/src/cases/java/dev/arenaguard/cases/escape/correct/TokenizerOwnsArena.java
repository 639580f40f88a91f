package dev.arenaguard.cases.escape.correct;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A tokenizer owns an arena in a field and closes it in {@code close()}; the tokens it keeps in
 * its own fields are memory of that arena, which lives exactly as long as the tokenizer.
 */
final class TokenizerOwnsArena implements AutoCloseable {
  private final BumpArena arena = BumpArena.ofConfined("tokenizer");
  private final List<MemorySegment> tokens = new ArrayList<>();
  private MemorySegment longest = MemorySegment.NULL;

  void feed(String text) {
    for (String word : text.split("\\s+")) {
      MemorySegment token = arena.allocateFrom(word);
      tokens.add(token);
      if (token.byteSize() > longest.byteSize()) {
        longest = token;
      }
    }
  }

  String longest() {
    return longest.getString(0);
  }

  int count() {
    return tokens.size();
  }

  @Override
  public void close() {
    arena.close();
  }

  public static void main(String[] args) {
    try (TokenizerOwnsArena tokenizer = new TokenizerOwnsArena()) {
      tokenizer.feed("arenas free everything at once when a phase ends");
      tokenizer.feed("bump allocation");
      if (tokenizer.count() != 11 || !tokenizer.longest().equals("everything")) {
        throw new AssertionError(tokenizer.count() + " " + tokenizer.longest());
      }
    }
  }
}
