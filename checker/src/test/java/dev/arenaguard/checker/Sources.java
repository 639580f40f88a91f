package dev.arenaguard.checker;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.scanner.ScannerSupplier;

/**
 * Helpers that take a whole test source file as one text block. Test sources compile against
 * the real runtime library ({@code arena-guard-runtime}, a test dependency), so they use its
 * actual API.
 */
final class Sources {
  private Sources() {}

  /** A helper that runs all six checks at once. */
  static CompilationTestHelper allSixChecks(Class<?> test) {
    return CompilationTestHelper.newInstance(
        ScannerSupplier.fromBugCheckerClasses(
            ArenaAnnotationMisuse.class,
            ArenaEscape.class,
            ArenaLongLivedOwner.class,
            ArenaThreadConfinement.class,
            ArenaUseAfterClose.class,
            ArenaNotClosed.class),
        test);
  }

  /** Adds {@code source} (one text block) as {@code Test.java}. */
  static CompilationTestHelper test(CompilationTestHelper helper, String source) {
    return helper.addSourceLines("Test.java", source.split("\n", -1));
  }

  static BugCheckerRefactoringTestHelper refactor(
      BugCheckerRefactoringTestHelper helper, String before, String after) {
    return helper
        .addInputLines("Test.java", before.split("\n", -1))
        .addOutputLines("Test.java", after.split("\n", -1));
  }
}
