package dev.arenaguard.cases;

import dev.arenaguard.sarif.Finding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The verdict table of {@code README.md}, regenerated from a full run of the corpus. Under
 * {@code CI=true} the committed table must equal the regenerated one, so that a stale table cannot
 * land; elsewhere the file is rewritten.
 */
final class Table {
  private Table() {}

  static final Path README = Path.of("README.md");

  static void update(
      List<Case> cases,
      Map<Case, List<Finding>> compiled,
      Map<Case, Runner.Verdict> ran,
      Set<String> present,
      CheckerIssues issues)
      throws IOException {
    if (!compiled.keySet().containsAll(cases) || !ran.keySet().containsAll(cases)) {
      return; // a partial run (one test selected) does not regenerate the table
    }
    GeneratedSection.update(README, "corpus-table", render(cases, compiled, ran, present, issues), true);
  }

  static String render(
      List<Case> cases,
      Map<Case, List<Finding>> compiled,
      Map<Case, Runner.Verdict> ran,
      Set<String> present,
      CheckerIssues issues) {
    StringBuilder b = new StringBuilder();
    b.append("| check | program | | compile verdict | runtime verdict | match |\n");
    b.append("|---|---|---|---|---|---|\n");
    int agree = 0;
    int notPresent = 0;
    for (Case c : cases) {
      boolean checkPresent = present.contains(c.check());
      List<Finding> findings = compiled.get(c);
      Runner.Verdict verdict = ran.get(c);
      String compileVerdict;
      boolean compileMatches;
      if (!checkPresent) {
        notPresent++;
        compileVerdict = "check not present" + (c.buggy() ? " (expected: " + markers(c.markers()) + ")" : "");
        compileMatches = false;
      } else {
        compileVerdict = findings.isEmpty() ? "clean" : byCheck(findings);
        compileMatches = compileVerdict.equals(c.buggy() ? markers(c.expected(present)) : "clean");
      }
      String runtimeVerdict = verdict.toString();
      if (Runner.TWIN.get(c.check()) == null) {
        runtimeVerdict = "no runtime twin (ran " + verdict + ")";
      }
      boolean runtimeMatches = Runner.matches(c, verdict);
      String match;
      if (!checkPresent) {
        match = runtimeMatches ? "runtime only" : "**no**";
      } else if (compileMatches && runtimeMatches) {
        match = "yes";
        agree++;
      } else if (!issues.of(c).isEmpty()) {
        match = "**no**: checker issue, " + issues.of(c).stream().map(i -> (i.extra() ? "extra " : "missing ") + i.marker()).collect(Collectors.joining(", "));
      } else {
        match = "**no**";
      }
      b.append("| ").append(c.check())
          .append(" | [").append(c.name()).append("](").append(c.source().toString().replace('\\', '/')).append(")")
          .append(c.summary().isEmpty() ? "" : ": " + escape(c.summary()))
          .append(" | ").append(c.buggy() ? "buggy" : "correct")
          .append(" | ").append(escape(compileVerdict))
          .append(" | ").append(escape(runtimeVerdict))
          .append(" | ").append(match)
          .append(" |\n");
    }
    b.append("\n")
        .append(cases.size()).append(" programs; compile and runtime verdicts agree on ").append(agree)
        .append(notPresent == 0 ? "" : "; " + notPresent + " wait for a check that is not present yet")
        .append(".\n");
    if (!issues.issues().isEmpty()) {
      b.append("\nKnown checker issues (`src/cases/checker-issues.txt`; the markers keep what SPEC §2 asks for):\n\n");
      for (CheckerIssues.Issue i : issues.issues()) {
        b.append("- ").append(i.caseName()).append(": ").append(escape(i.toString())).append('\n');
      }
    }
    return b.toString();
  }

  /** {@code ArenaEscape at 12, 30; ArenaNotClosed at 8}. */
  private static String byCheck(List<Finding> findings) {
    Map<String, Set<Integer>> lines = new TreeMap<>();
    for (Finding f : findings) {
      lines.computeIfAbsent(f.check(), k -> new TreeSet<>()).add(f.line());
    }
    return format(lines);
  }

  private static String markers(List<Case.Marker> markers) {
    Map<String, Set<Integer>> lines = new TreeMap<>();
    for (Case.Marker m : markers) {
      lines.computeIfAbsent(m.check(), k -> new TreeSet<>()).add(m.line());
    }
    return format(lines);
  }

  private static String format(Map<String, Set<Integer>> lines) {
    return lines.entrySet().stream()
        .map(e -> e.getKey() + " at " + e.getValue().stream().map(String::valueOf).collect(Collectors.joining(", ")))
        .collect(Collectors.joining("; "));
  }

  private static String escape(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
