package dev.arenaguard.checker.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baseline file: its entries, how it is written and merged, and how findings match it. */
class BaselineTest {
  @TempDir Path dir;

  @Test
  void theCodeOfAFindingIsItsLinesWithWhiteSpaceCollapsed() {
    String source = "class A {\n  void f() {\n    x =\n\t\tcall(a,\r\n      b);\n  }\n}\n";
    assertEquals("x = call(a, b);", BaselineEntry.code(source, 3, 5));
    assertEquals("void f() {", BaselineEntry.code(source, 2, 2));
    assertEquals("?", BaselineEntry.code(source, 40, 41), "lines beyond the source still make an entry");
    String longLine = "x = " + "a + ".repeat(100) + "b;";
    String cut = BaselineEntry.code(longLine, 1, 1);
    assertTrue(cut.length() <= BaselineEntry.CODE_LENGTH && cut.length() >= BaselineEntry.CODE_LENGTH - 1, cut);
    assertTrue(longLine.startsWith(cut));
  }

  @Test
  void filesAreNamedRelativeToTheBaselinesDirectory() {
    Baseline baseline = Baseline.empty(dir.resolve("baseline.txt"));
    assertEquals("core/src/main/java/A.java", baseline.fileKey(dir.resolve("core/src/main/java/A.java")));
    assertEquals("core/src/main/java/A.java", baseline.fileKey(dir.resolve("core/../core/src/main/java/A.java")));
  }

  @Test
  void writingReplacesTheCheckedFilesAndKeepsTheOthersThatExist() throws Exception {
    Path file = dir.resolve("baseline.txt");
    Files.createDirectories(dir.resolve("a"));
    Files.writeString(dir.resolve("a/Kept.java"), "class Kept {}");
    BaselineEntry kept = new BaselineEntry("ArenaEscape", "a/Kept.java", "CACHE = seg;");
    BaselineEntry gone = new BaselineEntry("ArenaEscape", "a/Deleted.java", "CACHE = seg;");
    BaselineEntry old = new BaselineEntry("ArenaNotClosed", "a/Checked.java", "Arena a = Arena.ofConfined();");
    Baseline.write(file, Set.of(), List.of(kept, gone, old, old));
    BaselineEntry fresh = new BaselineEntry("ArenaEscape", "a/Checked.java", "return seg;");

    Baseline written = Baseline.write(file, Set.of("a/Checked.java"), List.of(fresh, fresh));

    assertEquals(3, written.size());
    List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.startsWith("#")).toList();
    assertEquals(
        List.of("ArenaEscape\ta/Checked.java\treturn seg;", "ArenaEscape\ta/Checked.java\treturn seg;", "ArenaEscape\ta/Kept.java\tCACHE = seg;"),
        lines);
    assertEquals(3, Baseline.read(file).size(), "what is written reads back");
  }

  @Test
  void anEntryAbsorbsOneFindingAndTheRestOfACheckedFileIsStale() throws Exception {
    Path file = dir.resolve("baseline.txt");
    BaselineEntry twice = new BaselineEntry("ArenaEscape", "A.java", "CACHE = seg;");
    BaselineEntry fixed = new BaselineEntry("ArenaEscape", "A.java", "return seg;");
    BaselineEntry elsewhere = new BaselineEntry("ArenaEscape", "B.java", "return seg;");
    Files.writeString(
        file,
        "# a comment\n\nArenaEscape\tA.java\tCACHE = seg;\nArenaEscape\tA.java\tCACHE = seg;\nArenaEscape\tA.java\treturn seg;\n"
            + "ArenaEscape\tB.java\treturn seg;\n");
    Baseline.Matching matching = Baseline.read(file).matching();
    assertTrue(matching.absorbs(twice));
    assertTrue(matching.absorbs(twice));
    assertFalse(matching.absorbs(twice), "a third finding on the same code is new");
    assertFalse(matching.absorbs(new BaselineEntry("ArenaNotClosed", "A.java", "CACHE = seg;")), "another check");
    assertEquals(2, matching.absorbed());
    assertEquals(List.of(fixed), matching.stale(Set.of("A.java")), "B.java was not checked: its entry is not stale");
    assertEquals(List.of(fixed, elsewhere), matching.stale(Set.of("A.java", "B.java")));
  }

  @Test
  void aMalformedLineIsReportedWithItsFileAndLine() throws Exception {
    Path file = dir.resolve("baseline.txt");
    Files.writeString(file, "# header\nArenaEscape\tA.java\tx = y;\nArenaEscape\tA.java\n");
    BaselineException e = assertThrows(BaselineException.class, () -> Baseline.read(file));
    assertEquals(file + ":3: expected a check, a file and code separated by tabs, found 2 fields: ArenaEscape\\tA.java", e.getMessage());
    Files.writeString(file, "Arena Escape\tA.java\tx = y;\n");
    assertTrue(assertThrows(BaselineException.class, () -> Baseline.read(file)).getMessage().startsWith(file + ":1: not a check name"));
  }

  @Test
  void aMalformedBaselineIsNotOverwritten() throws Exception {
    Path file = dir.resolve("baseline.txt");
    Files.writeString(file, "not a baseline\n");
    BaselineException e =
        assertThrows(
            BaselineException.class,
            () -> Baseline.write(file, Set.of("A.java"), List.of(new BaselineEntry("ArenaEscape", "A.java", "x;"))));
    assertTrue(e.getMessage().contains(":1: expected a check") && e.getMessage().endsWith("(not overwritten: correct or delete it)"), e.getMessage());
    assertEquals("not a baseline\n", Files.readString(file));
  }
}
