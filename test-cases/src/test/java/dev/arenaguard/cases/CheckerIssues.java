package dev.arenaguard.cases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Known disagreements of the checker with the corpus ({@code src/cases/checker-issues.txt}): a
 * diagnostic the checker reports that no marker asks for ({@code extra}: a false positive), or a
 * marker it does not report ({@code missing}: a miss). The cases keep their spec-correct markers.
 */
record CheckerIssues(List<Issue> issues) {
  static final Path FILE = Path.of("src/cases/checker-issues.txt");

  record Issue(String caseName, boolean extra, Case.Marker marker, String why) {
    @Override
    public String toString() {
      return (extra ? "extra " : "missing ") + marker + (why.isEmpty() ? "" : " (" + why + ")");
    }
  }

  private static final Pattern LINE =
      Pattern.compile("^(\\w+) (extra|missing) (\\w+) at (\\d+)\\s*(?:--\\s*(.*))?$");

  static CheckerIssues load() {
    try {
      List<Issue> issues = new ArrayList<>();
      for (String line : Files.readAllLines(FILE)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        Matcher m = LINE.matcher(line.strip());
        if (!m.matches()) {
          throw new IllegalStateException(FILE + ": not '<case> extra|missing <Check> at <line> -- why': " + line);
        }
        issues.add(
            new Issue(
                m.group(1),
                m.group(2).equals("extra"),
                new Case.Marker(Integer.parseInt(m.group(4)), m.group(3)),
                m.group(5) == null ? "" : m.group(5).strip()));
      }
      return new CheckerIssues(List.copyOf(issues));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<Issue> of(Case c) {
    return issues.stream().filter(i -> i.caseName().equals(c.name())).toList();
  }

  /** What the checker should report for {@code c} given the known issues: markers, plus extras, less misses. */
  List<Case.Marker> expectedFromChecker(Case c, List<Case.Marker> markers) {
    List<Case.Marker> expected = new ArrayList<>(markers);
    for (Issue i : of(c)) {
      if (i.extra()) {
        expected.add(i.marker());
      } else {
        expected.remove(i.marker());
      }
    }
    return expected;
  }
}
