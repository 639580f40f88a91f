package dev.arenaguard.checker.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.CompilationTestHelper;
import dev.arenaguard.checker.ArenaEscape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The baseline in the checker (SPEC §4.5): written by a compilation with {@code
 * WriteBaseline=true}, read with {@code Baseline=FILE}; a finding in it is silent, a new one is
 * reported, an edit elsewhere in the file keeps the match, and a bad baseline file is a located
 * configuration error.
 */
class BaselineCheckTest {
  @TempDir Path dir;

  static final String BEFORE =
      """
      import java.lang.foreign.Arena;
      import java.lang.foreign.MemorySegment;
      class Test {
        static MemorySegment first;
        static MemorySegment second;
        static void fill() {
          try (Arena arena = Arena.ofConfined()) {
            // BUG: Diagnostic contains: static field 'first'
            first = arena.allocate(8);
          }
        }
      }
      """;

  private CompilationTestHelper helper(String... flags) {
    return CompilationTestHelper.newInstance(ArenaEscape.class, getClass()).setArgs(flags);
  }

  private Path baseline() {
    return dir.resolve("arena-guard-baseline.txt");
  }

  /** Writes the baseline of {@link #BEFORE}: its finding is reported (as a warning) and recorded. */
  private List<String> writeBaselineOfBefore() throws Exception {
    helper("-XepOpt:ArenaGuard:Baseline=" + baseline(), "-XepOpt:ArenaGuard:WriteBaseline=true")
        .addSourceLines("Test.java", BEFORE.split("\n", -1))
        .doTest();
    return entries();
  }

  private List<String> entries() throws Exception {
    return Files.readAllLines(baseline()).stream().filter(l -> !l.startsWith("#")).toList();
  }

  @Test
  void aCompilationWritesItsFindingsWithCheckFileAndCode() throws Exception {
    List<String> entries = writeBaselineOfBefore();
    assertEquals(1, entries.size(), entries.toString());
    String[] fields = entries.get(0).split("\t");
    assertEquals("ArenaEscape", fields[0]);
    assertTrue(fields[1].endsWith("Test.java"), fields[1]);
    assertEquals("first = arena.allocate(8);", fields[2]);
  }

  @Test
  void aBaselinedFindingIsSilentANewOneIsReportedAndEditsElsewhereKeepTheMatch() throws Exception {
    writeBaselineOfBefore();
    helper("-XepOpt:ArenaGuard:Baseline=" + baseline())
        .addSourceLines(
            "Test.java",
            """
            import java.lang.foreign.Arena;
            import java.lang.foreign.MemorySegment;
            /** Edited: lines above the old finding, which moves down, and a new finding. */
            class Test {
              static MemorySegment first;
              static MemorySegment second;

              static long size() {
                return 8;
              }

              static void fill() {
                try (Arena arena = Arena.ofConfined()) {
                  // indentation and spacing do not matter
                      first =   arena.allocate(8);
                  // BUG: Diagnostic contains: static field 'second'
                  second = arena.allocate(size());
                }
              }
            }
            """
                .split("\n", -1))
        .doTest();
  }

  @Test
  void anEditOfTheFlaggedCodeIsANewFinding() throws Exception {
    writeBaselineOfBefore();
    helper("-XepOpt:ArenaGuard:Baseline=" + baseline())
        .addSourceLines("Test.java", BEFORE.replace("allocate(8)", "allocate(16)").split("\n", -1))
        .doTest();
  }

  @Test
  void anEntryAbsorbsOneFindingTheSameCodeTwiceIsTwoEntries() throws Exception {
    String twice =
        """
        import java.lang.foreign.Arena;
        import java.lang.foreign.MemorySegment;
        class Test {
          static MemorySegment first;
          static void fill() {
            try (Arena arena = Arena.ofConfined()) {
              // BUG: Diagnostic contains: static field 'first'
              first = arena.allocate(8);
              // BUG: Diagnostic contains: static field 'first'
              first = arena.allocate(8);
            }
          }
        }
        """;
    writeBaselineOfBefore(); // one entry for "first = arena.allocate(8);"
    helper("-XepOpt:ArenaGuard:Baseline=" + baseline())
        .addSourceLines("Test.java", twice.replaceFirst("// BUG: Diagnostic contains: static field 'first'\n", "").split("\n", -1))
        .doTest();
  }

  @Test
  void aMalformedBaselineIsALocatedConfigurationError() throws Exception {
    Files.writeString(baseline(), "# comment\nArenaEscape\tsrc/Test.java\tfirst = a;\nArenaEscape src/Test.java first\n");
    helper("-XepOpt:ArenaGuard:Baseline=" + baseline())
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: invalid arena-guard configuration: baseline " + baseline()
                + ":3: expected a check, a file and code separated by tabs, found 1 field",
            "class Test {}")
        .doTest();
  }

  @Test
  void aMissingBaselineSaysHowToWriteIt() {
    helper("-XepOpt:ArenaGuard:Baseline=" + dir.resolve("absent.txt"))
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: -XepOpt:ArenaGuard:Baseline names " + dir.resolve("absent.txt")
                + ", which does not exist: write it with ./arena-guard DIR --write-baseline",
            "class Test {}")
        .doTest();
  }

  @Test
  void writingNeedsAFileAndABoolean() {
    helper("-XepOpt:ArenaGuard:WriteBaseline=true")
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: -XepOpt:ArenaGuard:WriteBaseline=true needs the file to write",
            "class Test {}")
        .doTest();
    helper("-XepOpt:ArenaGuard:Baseline=" + baseline(), "-XepOpt:ArenaGuard:WriteBaseline=yes")
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: -XepOpt:ArenaGuard:WriteBaseline is true or false, not \"yes\"",
            "class Test {}")
        .doTest();
  }

  @Test
  void anEmptyBaselineOptionIsNoBaseline() {
    helper("-XepOpt:ArenaGuard:Baseline=")
        .addSourceLines("Test.java", BEFORE.split("\n", -1))
        .doTest();
  }
}
