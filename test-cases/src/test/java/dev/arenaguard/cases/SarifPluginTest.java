package dev.arenaguard.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Xplugin:ArenaGuardSarif} records what javac reports: severities as Error Prone's
 * {@code -Xep:Name:LEVEL} set them, nothing that {@code @SuppressWarnings} silenced, and a clear
 * error for a missing argument.
 */
class SarifPluginTest {
  static final String SOURCE =
      """
      import java.lang.foreign.Arena;
      import java.lang.foreign.MemorySegment;
      class Cache {
        static MemorySegment last;
        static long size(String s) {
          Arena arena = Arena.ofConfined();
          return arena.allocateFrom(s).byteSize();
        }
        static void keep(Arena arena) {
          last = arena.allocate(8);
        }
        @SuppressWarnings("ArenaEscape")
        static void keepKnowingly(Arena arena) {
          last = arena.allocate(8);
        }
      }
      """;

  record Compiled(boolean success, String output) {}

  static Compiled compile(Path dir, String... pluginOptions) throws Exception {
    Path source = Files.writeString(dir.resolve("Cache.java"), SOURCE);
    List<String> options = new ArrayList<>(List.of("-XDcompilePolicy=simple", "--should-stop=ifError=FLOW", "-proc:none"));
    options.addAll(List.of(pluginOptions));
    String cp = System.getProperty("java.class.path");
    options.addAll(List.of("-classpath", cp, "-processorpath", cp, "-d", Files.createDirectories(dir.resolve("classes")).toString()));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter out = new StringWriter();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
      boolean ok = javac.getTask(out, files, null, options, null, files.getJavaFileObjects(source)).call();
      return new Compiled(ok, out.toString());
    }
  }

  @Test
  void levelsFollowErrorPronesSeverityFlagsAndSuppressionsAreHonoured(@TempDir Path dir) throws Exception {
    Path sarif = dir.resolve("out.sarif");
    Compiled c =
        compile(
            dir,
            "-Xplugin:ErrorProne -XepDisableAllChecks -Xep:ArenaNotClosed:ERROR -Xep:ArenaEscape:WARN",
            "-Xplugin:ArenaGuardSarif " + sarif + " my-category/");
    assertEquals(false, c.success(), c.output());
    JsonNode log = SarifSchema.read(sarif);
    assertEquals(List.of(), SarifSchema.violations(log));
    JsonNode run = log.get("runs").get(0);
    assertEquals("my-category/", run.get("automationDetails").get("id").asText());
    List<String> results = new ArrayList<>();
    for (JsonNode r : run.get("results")) {
      results.add(r.get("ruleId").asText() + "/" + r.get("level").asText() + "@"
          + r.get("locations").get(0).get("physicalLocation").get("region").get("startLine").asInt());
    }
    assertEquals(List.of("ArenaNotClosed/error@6", "ArenaEscape/warning@10"), results);
    // Every registered check is a rule, with its default level whatever the flags say.
    assertTrue(run.get("tool").get("driver").get("rules").toString().contains("\"id\":\"ArenaNotClosed\""));
  }

  @Test
  void aMissingFileArgumentIsACompileError(@TempDir Path dir) throws Exception {
    Compiled c = compile(dir, "-Xplugin:ArenaGuardSarif");
    assertEquals(false, c.success(), c.output());
    assertTrue(c.output().contains("-Xplugin:ArenaGuardSarif needs the SARIF file to write"), c.output());
  }
}
