package dev.arenaguard.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.arenaguard.junit.ArenaGuarded;
import dev.arenaguard.sarif.Finding;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every program of the corpus, judged twice: compiled with the checker (its diagnostics must be
 * exactly the {@code // BUG:} markers of the source), and run against the runtime library (a buggy
 * program must trip its check's runtime twin, a correct one must run clean). Then {@code
 * README.md}'s table is regenerated from the verdicts.
 */
class CorpusTest {

  /** Compile and run verdicts of this JVM's run, for the table. */
  static final Map<Case, List<Finding>> COMPILED = new ConcurrentHashMap<>();

  static final Map<Case, Runner.Verdict> RAN = new ConcurrentHashMap<>();

  static final CheckerIssues ISSUES = CheckerIssues.load();

  static Stream<Case> all() {
    return Corpus.cases().stream();
  }

  static Stream<Case> buggy() {
    return all().filter(Case::buggy);
  }

  static Stream<Case> correct() {
    return all().filter(c -> !c.buggy());
  }

  @Test
  void everyCheckHasThreeBuggyAndThreeCorrectPrograms() {
    for (String check : Case.CHECK_ORDER) {
      assertTrue(buggy().filter(c -> c.check().equals(check)).count() >= 3, check + ": buggy programs");
      assertTrue(correct().filter(c -> c.check().equals(check)).count() >= 3, check + ": correct programs");
    }
  }

  @Test
  void everyKnownCheckerIssueNamesACaseAndOneOfItsLines() {
    for (CheckerIssues.Issue i : ISSUES.issues()) {
      Case c = all().filter(x -> x.name().equals(i.caseName())).findFirst().orElseThrow(() -> new AssertionError("no case " + i.caseName()));
      assertTrue(i.extra() != c.markers().contains(i.marker()), i + ": an extra diagnostic has no marker, a missing one has");
    }
  }

  @Nested
  class CompileVerdict {
    /**
     * The diagnostics of the registered checks are exactly the markers of those checks: a missing
     * one is a miss, an extra one a false positive. A case whose own check is not registered yet is
     * still checked against the others, then skipped.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.arenaguard.cases.CorpusTest#all")
    void diagnosticsAreTheMarkers(Case c) {
      Corpus.Checked checked = Corpus.checked();
      List<Finding> findings = checked.of(c);
      COMPILED.put(c, findings);
      Set<String> present = checked.present().keySet();
      List<Case.Marker> actual =
          findings.stream().map(f -> new Case.Marker(f.line(), f.check())).sorted(MARKER_ORDER).toList();
      List<Case.Marker> expected =
          ISSUES.expectedFromChecker(c, c.expected(present)).stream().sorted(MARKER_ORDER).toList();
      assertEquals(
          expected,
          actual,
          () -> c.source() + ": diagnostics differ from the // BUG: markers"
              + (ISSUES.of(c).isEmpty() ? "" : " and the known checker issues " + ISSUES.of(c))
              + ":\n" + describe(findings));
      assumeTrue(present.contains(c.check()), c.check() + " is not registered in the checker yet (check not present)");
    }
  }

  @Nested
  class BuggyProgramRuns {
    /** A buggy program trips its check's runtime twin, and only that. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.arenaguard.cases.CorpusTest#buggy")
    void tripsTheRuntimeTwin(Case c) throws Exception {
      Runner.Verdict v = Runner.run(c);
      RAN.put(c, v);
      assertTrue(Runner.matches(c, v), () -> c + ": expected " + expectation(c) + ", the runtime saw: " + v);
    }
  }

  /** Correct programs also run under the project's own test guard, in strict mode. */
  @Nested
  @ArenaGuarded(strict = true)
  class CorrectProgramRuns {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.arenaguard.cases.CorpusTest#correct")
    void runsClean(Case c) throws Exception {
      Runner.Verdict v = Runner.run(c);
      RAN.put(c, v);
      assertTrue(v.clean(), () -> c + ": a correct program must run clean, the runtime saw: " + v);
    }
  }

  @AfterAll
  static void regenerateTheTable() throws Exception {
    Table.update(Corpus.cases(), COMPILED, RAN, Corpus.checked().present().keySet(), ISSUES);
  }

  static String expectation(Case c) {
    Runner.Kind twin = Runner.TWIN.get(c.check());
    return twin == null ? "a clean run (no runtime twin)" : "the " + twin.label + " alone";
  }

  private static final java.util.Comparator<Case.Marker> MARKER_ORDER =
      java.util.Comparator.comparingInt(Case.Marker::line).thenComparing(Case.Marker::check);

  private static String describe(List<Finding> findings) {
    StringBuilder b = new StringBuilder();
    for (Finding f : findings) {
      b.append("  ").append(f.line()).append(":").append(f.column()).append(" [").append(f.check()).append("] ")
          .append(f.message().lines().findFirst().orElse("")).append('\n');
    }
    return b.length() == 0 ? "  (none)\n" : b.toString();
  }
}
