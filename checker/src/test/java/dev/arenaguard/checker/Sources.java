package dev.arenaguard.checker;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.CompilationTestHelper;

/**
 * Test sources shared by the checker tests: a minimal stand-in for the runtime library's API
 * (same names and signatures as {@code arena-runtime}, which is built in parallel), and helpers
 * that take a whole source file as one text block.
 */
final class Sources {
  private Sources() {}

  static final String[] BUMP_ARENA = {
    "package dev.arenaguard.runtime;",
    "import java.lang.foreign.*;",
    "public interface BumpArena extends Arena {",
    "  static BumpArena ofConfined(String name) { throw new UnsupportedOperationException(); }",
    "  static BumpArena ofShared(String name) { throw new UnsupportedOperationException(); }",
    "  Phase phase();",
    "  void reset();",
    "  BumpArena newChild(String name);",
    "}",
  };

  static final String[] PHASE = {
    "package dev.arenaguard.runtime;",
    "public interface Phase extends AutoCloseable {",
    "  @Override void close();",
    "}",
  };

  static final String[] ARENA_POOL = {
    "package dev.arenaguard.runtime;",
    "public final class ArenaPool implements AutoCloseable {",
    "  public static ArenaPool ofShared(String name) { return new ArenaPool(); }",
    "  public BumpArena acquire() { throw new UnsupportedOperationException(); }",
    "  @Override public void close() {}",
    "}",
  };

  /** Adds {@code source} (one text block) as {@code Test.java}, plus the runtime stand-in. */
  static CompilationTestHelper test(CompilationTestHelper helper, String source) {
    return withRuntime(helper).addSourceLines("Test.java", source.split("\n", -1));
  }

  static CompilationTestHelper withRuntime(CompilationTestHelper helper) {
    return helper
        .addSourceLines("dev/arenaguard/runtime/BumpArena.java", BUMP_ARENA)
        .addSourceLines("dev/arenaguard/runtime/Phase.java", PHASE)
        .addSourceLines("dev/arenaguard/runtime/ArenaPool.java", ARENA_POOL);
  }

  static BugCheckerRefactoringTestHelper refactor(
      BugCheckerRefactoringTestHelper helper, String before, String after) {
    return helper
        .addInputLines("Test.java", before.split("\n", -1))
        .addOutputLines("Test.java", after.split("\n", -1));
  }
}
