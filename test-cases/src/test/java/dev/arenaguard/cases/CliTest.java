package dev.arenaguard.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arenaguard.cli.ArenaGuardCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main command ({@code ./arena-guard}) on the bundled example and on other source trees. */
class CliTest {
  static final Path EXAMPLE = Path.of("../examples").toAbsolutePath().normalize();
  static final Pattern FINDING = Pattern.compile("(?m)^(\\S+\\.java):(\\d+):(\\d+): (error|warning): \\[(\\w+)\\] .+$");

  record Run(int status, String out, String err) {
    List<String> findings() {
      return CliTest.findings(out);
    }
  }

  /** The findings the command printed, as {@code File.java:line level Check}. */
  static List<String> findings(String out) {
    List<String> found = new ArrayList<>();
    Matcher m = FINDING.matcher(out);
    while (m.find()) {
      found.add(Path.of(m.group(1)).getFileName() + ":" + m.group(2) + " " + m.group(4) + " " + m.group(5));
    }
    return found;
  }

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        ArenaGuardCli.run(
            List.of(args),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void findsTheBugsOfTheBundledExampleAndNothingElse(@TempDir Path dir) {
    Path sarif = dir.resolve("example.sarif");
    Run r = run(EXAMPLE.toString(), "--sarif", sarif.toString());
    assertEquals(1, r.status(), r.out() + r.err());
    assertEquals(
        List.of(
            "IndexFile.java:30 error ArenaUseAfterClose",
            "IndexFile.java:35 warning ArenaNotClosed",
            "LogSearchServer.java:38 error ArenaEscape",
            "ParallelScan.java:36 error ArenaThreadConfinement",
            "QueryCompiler.java:9 error ArenaLongLivedOwner",
            "QueryCompiler.java:12 error ArenaLongLivedOwner"),
        r.findings(),
        r.out());
    // javac style: the line and a caret under the column, the fix, the documentation page.
    assertTrue(r.out().contains("        recentQueries.addLast(query);\n                             ^\n"), r.out());
    assertTrue(r.out().contains("  fix: did you mean 'private void remember(@OutlivesArena MemorySegment query) {'?"), r.out());
    assertTrue(r.out().contains("  see https://github.com/arena-guard/arena-guard/blob/main/docs/checks/ArenaEscape.md"), r.out());
    assertTrue(r.out().matches("(?s).*arena-guard: 5 files checked in \\d+\\.\\d s: 6 findings \\(5 errors, 1 warning\\).*"), r.out());
    assertTrue(r.out().contains("  ArenaLongLivedOwner        2  (error)"), r.out());
    assertTrue(r.out().contains("  ArenaNotClosed             1  (warning)"), r.out());
    assertTrue(r.out().contains("  ArenaAnnotationMisuse      0  (error)"), r.out());

    JsonNode log = SarifSchema.read(sarif);
    assertEquals(List.of(), SarifSchema.violations(log));
    List<String> results = new ArrayList<>();
    for (JsonNode result : log.get("runs").get(0).get("results")) {
      JsonNode location = result.get("locations").get(0).get("physicalLocation");
      results.add(
          Path.of(location.get("artifactLocation").get("uri").asText()).getFileName() + ":"
              + location.get("region").get("startLine").asInt() + " " + result.get("level").asText() + " "
              + result.get("ruleId").asText());
    }
    assertEquals(r.findings(), results.stream().sorted(CliTest::byFileAndLine).toList());
  }

  @Test
  void cleanCodeExitsZero(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("Lengths.java"),
        """
        import java.lang.foreign.Arena;
        class Lengths {
          static long length(String s) {
            try (Arena arena = Arena.ofConfined()) {
              return arena.allocateFrom(s).byteSize() - 1;
            }
          }
        }
        """);
    Run r = run(dir.toString());
    assertEquals(0, r.status(), r.out() + r.err());
    assertTrue(r.out().contains("arena-guard: 1 file checked in"), r.out());
    assertTrue(r.out().contains(": 0 findings (0 errors, 0 warnings)"), r.out());
  }

  @Test
  void warningsAloneExitZero(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("Leaky.java"),
        """
        import java.lang.foreign.Arena;
        class Leaky {
          static long size(String s) {
            Arena arena = Arena.ofConfined();
            return arena.allocateFrom(s).byteSize();
          }
        }
        """);
    Run r = run(dir.toString());
    assertEquals(0, r.status(), r.out());
    assertEquals(List.of("Leaky.java:4 warning ArenaNotClosed"), r.findings());
  }

  @Test
  void codeThatDoesNotCompileIsOneLineThatNamesTheClassPath(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("Uses.java"), "class Uses {\n  com.example.Missing m;\n  com.example.Absent a;\n}\n");
    Run r = run(dir.toString());
    assertEquals(1, r.status(), r.out());
    List<String> lines = r.out().lines().filter(l -> l.contains("Uses.java")).toList();
    assertEquals(1, lines.size(), r.out());
    assertTrue(
        lines.get(0).matches("the sources do not compile: 2 errors; the first: .*Uses.java:2:14: package com.example does not exist\\. The checks need code that compiles: is a --classpath missing\\?"),
        r.out());
  }

  @Test
  void theClassPathOptionReachesJavac(@TempDir Path dir) throws Exception {
    Path lib = Files.createDirectories(dir.resolve("lib/com/example"));
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(lib.resolve("Missing.java"), "package com.example; public class Missing {}\n");
    Files.writeString(src.resolve("Uses.java"), "class Uses { com.example.Missing m; }\n");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    assertEquals(
        0,
        javax.tools.ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-d", classes.toString(), lib.resolve("Missing.java").toString()));
    Run r = run(src.toString(), "--classpath", classes.toString());
    assertEquals(0, r.status(), r.out());
  }

  @Test
  void badArgumentsExitTwoWithTheUsage() {
    Run unknown = run("--frobnicate");
    assertEquals(2, unknown.status());
    assertTrue(unknown.err().contains("unknown option --frobnicate") && unknown.err().contains("usage: arena-guard"), unknown.err());
    Run missing = run("no/such/dir");
    assertEquals(2, missing.status());
    assertTrue(missing.err().contains("no such file or directory: no/such/dir"), missing.err());
    Run noValue = run(EXAMPLE.toString(), "--sarif");
    assertEquals(2, noValue.status());
    assertTrue(noValue.err().contains("--sarif needs a value"), noValue.err());
  }

  static final String ESCAPES =
      """
      import java.lang.foreign.Arena;
      import java.lang.foreign.MemorySegment;
      class Cache {
        static MemorySegment first;
        static MemorySegment second;
        static void fill() {
          try (Arena arena = Arena.ofConfined()) {
            first = arena.allocate(8);
            second = arena.allocate(16);
          }
        }
      }
      """;

  @Test
  void aBaselineKeepsTheFindingsItRecordsQuietAndCountsItsStaleEntries(@TempDir Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("Cache.java"), ESCAPES);
    Path baseline = dir.resolve("arena-guard-baseline.txt");

    Run write = run(src.toString(), "--write-baseline", baseline.toString());
    assertEquals(0, write.status(), "recorded findings do not fail: " + write.out());
    assertEquals(List.of("Cache.java:8 error ArenaEscape", "Cache.java:9 error ArenaEscape"), write.findings());
    assertTrue(write.out().contains("2 findings written to the baseline"), write.out());
    assertEquals(
        List.of("ArenaEscape\tsrc/Cache.java\tfirst = arena.allocate(8);", "ArenaEscape\tsrc/Cache.java\tsecond = arena.allocate(16);"),
        Files.readAllLines(baseline).stream().filter(l -> !l.startsWith("#")).toList());

    Run quiet = run(src.toString(), "--baseline", baseline.toString());
    assertEquals(0, quiet.status(), quiet.out());
    assertEquals(List.of(), quiet.findings());
    assertTrue(quiet.out().contains("2 findings in the baseline"), quiet.out());

    // Lines above move the findings; the second escape is fixed, a third one is new.
    Files.writeString(
        src.resolve("Cache.java"),
        "// a header\n" + ESCAPES.replace("second = arena.allocate(16);", "long n = arena.allocate(16).byteSize();\n      second = arena.allocate(32);"));
    Run gated = run(src.toString(), "-XepOpt:ArenaGuard:Baseline=" + baseline);
    assertEquals(1, gated.status(), gated.out());
    assertEquals(List.of("Cache.java:11 error ArenaEscape"), gated.findings());
    assertTrue(gated.out().contains("1 finding in the baseline"), gated.out());
    assertTrue(gated.out().contains("1 entry of the baseline matched no finding (stale: the code was fixed or changed)"), gated.out());
  }

  @Test
  void theBaselineTheCommandWritesIsTheOneTheCheckerReads(@TempDir Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("Cache.java"), ESCAPES);
    Path baseline = dir.resolve("arena-guard-baseline.txt");
    assertEquals(0, run(src.toString(), "--write-baseline", baseline.toString()).status());
    java.io.StringWriter out = new java.io.StringWriter();
    javax.tools.DiagnosticCollector<javax.tools.JavaFileObject> diagnostics = new javax.tools.DiagnosticCollector<>();
    javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
    try (var files = javac.getStandardFileManager(null, null, null)) {
      boolean compiled =
          javac
              .getTask(
                  out,
                  files,
                  diagnostics,
                  List.of(
                      "-XDcompilePolicy=simple",
                      "--should-stop=ifError=FLOW",
                      "-Xplugin:ErrorProne -XepDisableAllChecks -Xep:ArenaEscape -XepOpt:ArenaGuard:Baseline=" + baseline,
                      "-processorpath",
                      System.getProperty("java.class.path"),
                      "-d",
                      Files.createDirectories(dir.resolve("classes")).toString()),
                  null,
                  files.getJavaFileObjects(src.resolve("Cache.java")))
              .call();
      assertTrue(compiled, diagnostics.getDiagnostics() + "\n" + out);
    }
    assertEquals(
        List.of("arena-guard: 2 findings not reported: in the baseline " + baseline.toRealPath()),
        diagnostics.getDiagnostics().stream().map(d -> d.getMessage(java.util.Locale.ROOT)).toList());
  }

  @Test
  void aMalformedBaselineIsALocatedErrorAndTheOptionsExcludeEachOther(@TempDir Path dir) throws Exception {
    Path baseline = Files.writeString(dir.resolve("b.txt"), "ArenaEscape\tsrc/Cache.java\n");
    Run malformed = run(EXAMPLE.toString(), "--baseline", baseline.toString());
    assertEquals(2, malformed.status());
    assertTrue(malformed.err().contains("arena-guard: baseline " + baseline + ":1: expected a check, a file and code"), malformed.err());
    Run missing = run(EXAMPLE.toString(), "--baseline", dir.resolve("absent.txt").toString());
    assertEquals(2, missing.status());
    assertTrue(missing.err().contains("absent.txt does not exist"), missing.err());
    Run both = run(EXAMPLE.toString(), "--baseline", baseline.toString(), "--write-baseline", baseline.toString());
    assertEquals(2, both.status());
    assertTrue(both.err().contains("either --baseline or --write-baseline, not both"), both.err());
  }

  private static int byFileAndLine(String a, String b) {
    String[] x = a.split("[: ]");
    String[] y = b.split("[: ]");
    int c = x[0].compareTo(y[0]);
    return c != 0 ? c : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
  }
}
