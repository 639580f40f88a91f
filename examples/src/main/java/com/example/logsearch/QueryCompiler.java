package com.example.logsearch;

import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;

/** Compiles queries to a native pattern representation for the scanner. */
final class QueryCompiler {
  /** Bug: every compiled pattern is allocated here, and nothing ever resets this arena. */
  private static final BumpArena PATTERNS = BumpArena.ofShared("patterns");

  static MemorySegment compile(String query) {
    MemorySegment pattern = PATTERNS.allocate(query.length() * 2L + 8);
    pattern.setString(0, query.toLowerCase());
    return pattern;
  }
}
