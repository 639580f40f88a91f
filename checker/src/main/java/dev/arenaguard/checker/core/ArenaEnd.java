package dev.arenaguard.checker.core;

import com.sun.source.tree.LineMap;
import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Symbol;

/**
 * A point in a method where arena memory is freed: an arena closed or reset by a call, the end of
 * an arena's try-with-resources block, or the end of a phase.
 *
 * @param kind what happens there
 * @param arena the arena whose memory ends (for a phase, the arena the phase belongs to)
 * @param at the {@code close()}/{@code reset()} call, or the try-with-resources statement whose
 *     block ends
 * @param position the source position of the end: the call, or the closing brace of the block
 */
public record ArenaEnd(Kind kind, Symbol arena, Tree at, int position) {

  /** What ends the memory. */
  public enum Kind {
    /** {@code arena.close()}: the arena and everything it allocated are gone. */
    CLOSE,
    /** {@code arena.reset()} (a {@code @Resets} method): what it allocated so far is gone. */
    RESET,
    /** The end of the arena's try-with-resources block. */
    BLOCK_END,
    /** The end of a {@code phase()} block: what the arena allocated inside it is gone. */
    PHASE_END;

    /** Whether the arena itself may no longer be used afterwards. */
    public boolean closesArena() {
      return this == CLOSE || this == BLOCK_END;
    }
  }

  /** The end in the user's words: {@code 'a' is closed at line 12}. */
  public String describe(LineMap lines) {
    String name = "'" + arena.getSimpleName() + "'";
    long line = lines.getLineNumber(position);
    return switch (kind) {
      case CLOSE -> name + " is closed at line " + line;
      case RESET -> name + " is reset at line " + line;
      case BLOCK_END -> name + " is closed at line " + line + ", the end of its try-with-resources block";
      case PHASE_END -> "the phase of " + name + " ends at line " + line;
    };
  }
}
