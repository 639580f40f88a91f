package com.example.logsearch;

import java.lang.foreign.MemorySegment;

/** Substring search of an encoded query in a log line. */
final class Matcher {
  private Matcher() {}

  /** Parameters borrow: the needle is only read during the call. */
  static boolean contains(String line, MemorySegment needle) {
    return line.contains(needle.getString(0));
  }
}
