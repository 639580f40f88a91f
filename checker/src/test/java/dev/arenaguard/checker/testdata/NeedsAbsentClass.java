package dev.arenaguard.checker.testdata;

/**
 * A library class whose method takes a type that a test leaves off the class path (it compiles
 * with only this class file), as a library compiled against an optional dependency does.
 */
public final class NeedsAbsentClass {
  private NeedsAbsentClass() {}

  public static Object view(AbsentClass absent) {
    return absent;
  }

  public static Object plain(Object o) {
    return o;
  }
}
