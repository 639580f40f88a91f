package dev.arenaguard.cli;

import dev.arenaguard.checker.baseline.Baseline;
import dev.arenaguard.checker.baseline.BaselineEntry;
import dev.arenaguard.checker.baseline.BaselineException;
import dev.arenaguard.sarif.Finding;
import dev.arenaguard.sarif.Rule;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs the arena-guard checks over a source tree or a Maven project: compiles the sources with
 * javac and Error Prone running only the arena-guard checks (at their default severities), prints
 * each finding the way javac does — {@code file:line:col}, check, message, the line with a caret,
 * the suggested fix and the check's documentation page — and a summary. A directory with a {@code
 * pom.xml} is checked module by module, main and test sources, on the class paths the project's
 * own Maven resolves. Exit status: 0 without errors, 1 with an error (a finding of an ERROR check
 * that is not in the baseline, or code that does not compile), 2 for bad arguments or a project
 * Maven cannot resolve.
 *
 * <pre>
 * arena-guard [DIR|FILE...] [--classpath CP] [--baseline FILE | --write-baseline FILE] [--sarif FILE] [-XepOpt:...]
 * </pre>
 */
public final class ArenaGuardCli {
  private ArenaGuardCli() {}

  /** The name of the one unit of a plain source tree. */
  static final String PLAIN = "the sources";

  static final String USAGE =
      """
      usage: arena-guard [DIR|FILE...] [--classpath CP] [--baseline FILE | --write-baseline FILE] [--sarif FILE] [-Xep...]
        DIR|FILE              Java sources to check: directories are searched for .java files. A directory
                              with a pom.xml is a Maven project: every module, main and test sources, on
                              the class paths its own mvnw (or mvn) resolves
        --classpath CP        what the sources of a plain tree need to compile (the arena-guard annotations
                              and runtime are always on it)
        --write-baseline FILE record the findings in FILE: from then on only new findings fail
        --baseline FILE       do not report the findings FILE records; count its stale entries
        --sarif FILE          also write the findings as a SARIF 2.1.0 log
        -Xep...               passed to Error Prone, e.g. -XepOpt:ArenaGuard:StubFiles=models.java
      """;

  private static final String BASELINE_FLAG = "-XepOpt:ArenaGuard:Baseline=";

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  /** Runs the command; returns its exit status. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    List<Path> roots = new ArrayList<>();
    List<String> classpath = new ArrayList<>();
    List<String> errorProneFlags = new ArrayList<>();
    Path sarif = null;
    Path baseline = null;
    Path writeBaseline = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "-h", "--help" -> {
          out.print(USAGE);
          return 0;
        }
        case "--classpath", "-cp", "--class-path", "--sarif", "--baseline", "--write-baseline" -> {
          if (i + 1 >= args.size()) {
            err.println("arena-guard: " + a + " needs a value");
            err.print(USAGE);
            return 2;
          }
          String value = args.get(++i);
          switch (a) {
            case "--sarif" -> {
              if (value.chars().anyMatch(Character::isWhitespace)) {
                // javac splits a plugin's arguments at white space.
                err.println("arena-guard: the SARIF file's path may not contain white space: " + value);
                return 2;
              }
              sarif = Path.of(value).toAbsolutePath();
            }
            case "--baseline" -> baseline = Path.of(value);
            case "--write-baseline" -> writeBaseline = Path.of(value);
            default -> classpath.add(value);
          }
        }
        default -> {
          if (a.startsWith(BASELINE_FLAG)) {
            baseline = Path.of(a.substring(BASELINE_FLAG.length())); // the build's spelling works here too
          } else if (a.startsWith("-XepOpt:ArenaGuard:WriteBaseline")) {
            err.println("arena-guard: the command writes a baseline with --write-baseline FILE");
            return 2;
          } else if (a.startsWith("-Xep")) {
            errorProneFlags.add(a);
          } else if (a.startsWith("-")) {
            err.println("arena-guard: unknown option " + a);
            err.print(USAGE);
            return 2;
          } else if (!Files.exists(Path.of(a))) {
            err.println("arena-guard: no such file or directory: " + a);
            return 2;
          } else {
            roots.add(Path.of(a));
          }
        }
      }
    }
    if (roots.isEmpty()) {
      err.println("arena-guard: no sources given");
      err.print(USAGE);
      return 2;
    }
    if (baseline != null && writeBaseline != null) {
      err.println("arena-guard: either --baseline or --write-baseline, not both");
      return 2;
    }
    Baseline read = null;
    if (baseline != null) {
      try {
        read = Baseline.read(baseline);
      } catch (BaselineException e) {
        err.println("arena-guard: baseline " + e.getMessage());
        return 2;
      }
    }
    Path work;
    try {
      work = Files.createTempDirectory("arena-guard");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    boolean keepWork = false;
    try {
      List<Unit> units;
      boolean maven = roots.size() == 1 && classpath.isEmpty() && MavenProject.isProject(roots.get(0));
      if (maven) {
        Path project = roots.get(0).toAbsolutePath().normalize();
        try {
          units = MavenProject.units(project, work, err);
        } catch (MavenProject.MavenException e) {
          err.println("arena-guard: " + e.getMessage());
          keepWork = true;
          return 2;
        }
        if (units.isEmpty()) {
          err.println("arena-guard: the modules of " + project + " have no .java files");
          return 2;
        }
      } else {
        List<Path> sources = javaFiles(roots);
        if (sources.isEmpty()) {
          err.println("arena-guard: no .java files in " + roots);
          return 2;
        }
        List<String> path = new ArrayList<>(classpath);
        path.add(System.getProperty("java.class.path"));
        units = List.of(new Unit(PLAIN, sources, path, work.resolve("classes"), List.of()));
      }
      return check(units, maven, errorProneFlags, sarif, read, writeBaseline, out, err);
    } finally {
      if (!keepWork) {
        deleteQuietly(work);
      }
    }
  }

  private static int check(
      List<Unit> units,
      boolean maven,
      List<String> errorProneFlags,
      Path sarif,
      Baseline baseline,
      Path writeBaseline,
      PrintStream out,
      PrintStream err) {
    Map<String, Rule> rules = Rule.present(ArenaGuardCli.class.getClassLoader());
    Report report = new Report(out);
    if (sarif != null) {
      try {
        Files.deleteIfExists(sarif); // each run writes its own runs, not next to an older run's
      } catch (IOException e) {
        err.println("arena-guard: cannot replace the SARIF log " + sarif + ": " + e);
        return 2;
      }
    }
    long start = System.nanoTime();
    Map<URI, CharSequence> contents = new HashMap<>();
    List<Finding> findings = new ArrayList<>();
    Map<Unit, Compilation.Result> failed = new LinkedHashMap<>();
    Map<Unit, Unit> skipped = new LinkedHashMap<>();
    Set<Unit> withoutClasses = new HashSet<>();
    Set<Path> checked = new HashSet<>();
    StringBuilder javacOutput = new StringBuilder();
    for (Unit unit : units) {
      Optional<Unit> broken = unit.needs().stream().filter(n -> failed.containsKey(n) || skipped.containsKey(n)).findFirst();
      if (broken.isPresent()) {
        skipped.put(unit, broken.get());
        continue;
      }
      for (Unit needed : unit.needs()) {
        if (withoutClasses.remove(needed)) {
          // The checks' errors stopped javac before it wrote the classes this unit needs.
          Compilation.classesOnly(needed, contents);
        }
      }
      if (maven) {
        err.println("arena-guard: checking " + unit.name() + ", " + Report.count(unit.sources().size(), "file") + " ...");
      }
      String run = maven ? "arena-guard/" + unit.name().replace(" (", "/").replace(")", "") + "/" : "arena-guard/";
      Compilation.Result result = Compilation.check(unit, rules, errorProneFlags, sarif, run, contents);
      findings.addAll(result.findings());
      javacOutput.append(result.javacOutput());
      if (result.compiles()) {
        checked.addAll(unit.sources());
        if (result.findings().stream().anyMatch(f -> f.level().equals("error"))) {
          withoutClasses.add(unit);
        }
      } else {
        failed.put(unit, result);
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;

    Baselined baselined = new Baselined(findings, 0, 0, 0);
    Path baselineFile = baseline != null ? baseline.file() : writeBaseline;
    if (baselineFile != null) {
      try {
        baselined = applyBaseline(baseline, writeBaseline, findings, checked, contents);
      } catch (BaselineException e) {
        err.println("arena-guard: " + e.getMessage());
        return 2;
      }
    }
    List<Finding> shown = baselined.shown();

    report.findings(shown, contents);
    for (Map.Entry<Unit, Compilation.Result> f : failed.entrySet()) {
      report.doesNotCompile(
          f.getKey(),
          f.getValue().compileErrors(),
          maven ? "" : ". The checks need code that compiles: is a --classpath missing?");
    }
    skipped.forEach(report::notChecked);
    if (!javacOutput.toString().isBlank()) {
      out.print(javacOutput);
    }
    report.summary(
        new Report.Summary(
            checked.size(),
            maven ? (int) units.stream().map(u -> u.name().replaceFirst(" \\((main|test)\\)$", "")).distinct().count() : 0,
            millis,
            shown,
            rules,
            baselined.inBaseline(),
            baselined.stale(),
            baselineFile == null ? null : baselineFile.toAbsolutePath().normalize(),
            writeBaseline != null,
            baselined.written(),
            maven ? failed.size() + skipped.size() : 0,
            sarif));
    boolean errors = writeBaseline == null && shown.stream().anyMatch(f -> f.level().equals("error"));
    return errors || !failed.isEmpty() || !skipped.isEmpty() ? 1 : 0;
  }

  /**
   * What a baseline did to a run's findings.
   *
   * @param shown the findings to report
   * @param inBaseline the findings the baseline absorbed, or (writing) how many entries it now has
   * @param stale the entries of checked files that matched no finding
   * @param written the findings recorded (writing)
   */
  private record Baselined(List<Finding> shown, int inBaseline, int stale, int written) {}

  /**
   * Matches the findings against {@code baseline}, or records those of the files that were checked
   * in {@code writeBaseline}, with the checker's own baseline classes: the files and the code they
   * name are those the checker names in a build.
   */
  private static Baselined applyBaseline(
      Baseline baseline, Path writeBaseline, List<Finding> findings, Set<Path> checked, Map<URI, CharSequence> contents)
      throws BaselineException {
    Baseline names = baseline != null ? baseline : Baseline.empty(writeBaseline);
    Set<String> checkedFiles = new HashSet<>();
    checked.forEach(f -> checkedFiles.add(names.fileKey(f)));
    List<BaselineEntry> entries = new ArrayList<>();
    for (Finding f : findings) {
      CharSequence content = contents.getOrDefault(f.file(), "");
      entries.add(new BaselineEntry(f.check(), names.fileKey(Path.of(f.file())), BaselineEntry.code(content, f.line(), f.endLine())));
    }
    if (writeBaseline != null) {
      // A file that did not compile was not checked: its old entries stay, its findings are not recorded.
      List<BaselineEntry> record = entries.stream().filter(e -> checkedFiles.contains(e.file())).toList();
      return new Baselined(findings, Baseline.write(writeBaseline, checkedFiles, record).size(), 0, record.size());
    }
    Baseline.Matching matching = baseline.matching();
    List<Finding> shown = new ArrayList<>();
    for (int i = 0; i < findings.size(); i++) {
      if (!matching.absorbs(entries.get(i))) {
        shown.add(findings.get(i));
      }
    }
    return new Baselined(shown, matching.absorbed(), matching.stale(checkedFiles).size(), 0);
  }

  static List<Path> javaFiles(List<Path> roots) {
    List<Path> files = new ArrayList<>();
    for (Path root : roots) {
      if (Files.isRegularFile(root)) {
        files.add(root);
        continue;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory; the OS cleans it
    }
  }
}
