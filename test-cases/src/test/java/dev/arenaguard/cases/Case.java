package dev.arenaguard.cases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One program of the corpus: a source file under {@code src/cases/java}, in package {@code
 * dev.arenaguard.cases.<check>.<buggy|correct>}, with a {@code main} method. Its expected
 * diagnostics are markers on the flagged lines: {@code // BUG: ArenaEscape} (several checks are
 * separated by commas).
 *
 * @param check the check the case is about (SPEC §2 name)
 * @param buggy whether the program has the bug ({@code buggy} package) or is correct
 * @param source the source file
 * @param className the binary name of its top-level class
 * @param summary the first sentence of the class's javadoc: the shape of the program
 * @param markers the expected diagnostics, in line order
 */
record Case(String check, boolean buggy, Path source, String className, String summary, List<Marker> markers) {

  /** An expected diagnostic: check {@code check} on line {@code line}. */
  record Marker(int line, String check) {
    @Override
    public String toString() {
      return check + " at " + line;
    }
  }

  /** The corpus directory, relative to the module (the tests run there). */
  static final Path ROOT = Path.of("src/cases/java");

  /** The check of each package of the corpus. */
  static final Map<String, String> CHECKS_BY_PACKAGE =
      Map.of(
          "escape", "ArenaEscape",
          "longlivedowner", "ArenaLongLivedOwner",
          "threadconfinement", "ArenaThreadConfinement",
          "useafterclose", "ArenaUseAfterClose",
          "notclosed", "ArenaNotClosed",
          "annotationmisuse", "ArenaAnnotationMisuse");

  static final List<String> CHECK_ORDER =
      List.of(
          "ArenaEscape",
          "ArenaLongLivedOwner",
          "ArenaThreadConfinement",
          "ArenaUseAfterClose",
          "ArenaNotClosed",
          "ArenaAnnotationMisuse");

  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+);");
  private static final Pattern MARKER = Pattern.compile("//\\s*BUG:\\s*([A-Za-z, ]+?)\\s*$");
  private static final Pattern JAVADOC = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);

  /** Every case, by check (SPEC order), then buggy before correct, then name. */
  static List<Case> all() {
    try (Stream<Path> files = Files.walk(ROOT)) {
      List<Case> cases = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        cases.add(read(file));
      }
      cases.sort(
          Comparator.comparing((Case c) -> CHECK_ORDER.indexOf(c.check()))
              .thenComparing(c -> !c.buggy())
              .thenComparing(Case::name));
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Case read(Path file) throws IOException {
    String text = Files.readString(file);
    Matcher pkg = PACKAGE.matcher(text);
    if (!pkg.find()) {
      throw new IllegalStateException(file + ": no package declaration");
    }
    String[] parts = pkg.group(1).split("\\.");
    String check = CHECKS_BY_PACKAGE.get(parts[parts.length - 2]);
    String kind = parts[parts.length - 1];
    if (!pkg.group(1).startsWith("dev.arenaguard.cases.") || check == null || !(kind.equals("buggy") || kind.equals("correct"))) {
      throw new IllegalStateException(file + ": package must be dev.arenaguard.cases.<check>.<buggy|correct>, is " + pkg.group(1));
    }
    String simpleName = file.getFileName().toString().replace(".java", "");
    List<Marker> markers = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = MARKER.matcher(lines[i]);
      if (m.find()) {
        for (String name : m.group(1).split(",")) {
          String n = name.strip();
          if (!CHECK_ORDER.contains(n)) {
            throw new IllegalStateException(file + ":" + (i + 1) + ": unknown check in marker: " + n);
          }
          markers.add(new Marker(i + 1, n));
        }
      }
    }
    Matcher doc = JAVADOC.matcher(text);
    String summary = doc.find() ? firstSentence(doc.group(1)) : "";
    Case c = new Case(check, kind.equals("buggy"), file, pkg.group(1) + "." + simpleName, summary, List.copyOf(markers));
    if (c.buggy() && markers.stream().noneMatch(mk -> mk.check().equals(check))) {
      throw new IllegalStateException(file + ": a buggy case needs a // BUG: " + check + " marker");
    }
    if (!c.buggy() && !markers.isEmpty()) {
      throw new IllegalStateException(file + ": a correct case has no BUG markers");
    }
    return c;
  }

  private static String firstSentence(String javadoc) {
    String text =
        javadoc.replaceAll("(?m)^\\s*\\*\\s?", "").replaceAll("\\s+", " ").replaceAll("\\{@code ([^}]*)}", "`$1`").strip();
    int end = text.indexOf(". ");
    return end < 0 ? text.replaceAll("\\.$", "") : text.substring(0, end);
  }

  String name() {
    return source.getFileName().toString().replace(".java", "");
  }

  /** The markers of checks that are present in the checker. */
  List<Marker> expected(java.util.Set<String> presentChecks) {
    return markers.stream().filter(m -> presentChecks.contains(m.check())).toList();
  }

  @Override
  public String toString() {
    return check + "/" + (buggy ? "buggy" : "correct") + "/" + name();
  }
}
