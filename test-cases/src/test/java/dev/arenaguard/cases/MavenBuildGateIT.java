package dev.arenaguard.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arenaguard.annotations.ArenaScoped;
import dev.arenaguard.checker.ArenaEscape;
import dev.arenaguard.cli.ArenaGuardCli;
import dev.arenaguard.sarif.ArenaGuardSarif;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Maven build gate, proven with a real Maven build, and the main command on a real Maven
 * project: the sample project {@code src/it/build-gate} (two modules: tiles-server needs
 * tiles-core and a library from Maven Central), configured exactly as the README documents (the
 * README quotes its pom), is built by the same Maven that runs this build, against a local
 * repository under {@code target} into which this build's arena-guard jars are installed
 * (everything else is taken from the outer build's local repository, or Maven Central).
 *
 * <p>The inner Maven is hermetic: it does not inherit the outer build's {@code MAVEN_ARGS},
 * {@code MAVEN_OPTS} or {@code maven.repo.local} (a CI that passes {@code
 * -Dmaven.repo.local} through {@code MAVEN_ARGS} would otherwise make it miss the staged jars).
 *
 * <p>The story a new user follows: the build fails on a real escape with the check's name and
 * file:line; {@code ./arena-guard} on the project resolves its class paths through Maven and finds
 * the escapes of both modules (not compile errors); it writes a baseline, with which the build
 * passes; a new escape still fails it; the build writes the same baseline itself. Then Error
 * Prone's patch mode applies a suggested fix, {@code @SuppressWarnings("ArenaEscape")} is
 * honoured, and the SARIF log is valid.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MavenBuildGateIT {
  static final Path SAMPLE = Path.of("src/it/build-gate");
  static final Path WORK = Path.of("target/it/build-gate").toAbsolutePath();
  static final Path REPO = Path.of("target/it/repository").toAbsolutePath();
  static final Path SETTINGS = Path.of("target/it/settings.xml").toAbsolutePath();
  static final String VERSION = System.getProperty("arenaguard.version", "0.1.0-SNAPSHOT");
  static final Path ENCODER = WORK.resolve("tiles-core/src/main/java/com/example/tiles/TileEncoder.java");
  static final Path SERVER = WORK.resolve("tiles-server/src/main/java/com/example/tiles/server/TileServer.java");
  static final Path BASELINE = WORK.resolve("arena-guard-baseline.txt");

  /** The findings of the sample project, as the main command lists them (file:line level check). */
  static final List<String> FINDINGS =
      List.of(
          "TileEncoder.java:12 error ArenaEscape",
          "TileFixtures.java:10 warning ArenaNotClosed",
          "TileServer.java:12 error ArenaLongLivedOwner",
          "TileServer.java:18 error ArenaLongLivedOwner",
          "TileServer.java:26 error ArenaEscape");

  record Build(int status, String output) {}

  @BeforeAll
  static void stageProjectAndRepository() throws IOException {
    deleteTree(WORK);
    copyTree(SAMPLE, WORK);
    String pom = Files.readString(WORK.resolve("pom.xml"));
    assertTrue(
        pom.contains("<arena-guard.version>" + VERSION + "</arena-guard.version>"),
        "the sample project (and so the README) names arena-guard " + VERSION);
    install("arena-guard-parent", Path.of("../pom.xml"), null);
    install("arena-guard-annotations", Path.of("../annotations/pom.xml"), jarOf(ArenaScoped.class));
    install("arena-guard-checker", Path.of("../checker/pom.xml"), jarOf(ArenaEscape.class));
    install("arena-guard-sarif", Path.of("../sarif/pom.xml"), jarOf(ArenaGuardSarif.class));
    String outer = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository")).toUri().toString();
    Files.writeString(
        SETTINGS,
        """
        <settings>
          <localRepository>%s</localRepository>
          <profiles>
            <profile>
              <id>outer-build</id>
              <repositories>
                <repository>
                  <id>outer-build</id><url>%s</url>
                  <releases><checksumPolicy>ignore</checksumPolicy></releases>
                  <snapshots><enabled>false</enabled></snapshots>
                </repository>
              </repositories>
              <pluginRepositories>
                <pluginRepository>
                  <id>outer-build</id><url>%s</url>
                  <releases><checksumPolicy>ignore</checksumPolicy></releases>
                  <snapshots><enabled>false</enabled></snapshots>
                </pluginRepository>
              </pluginRepositories>
            </profile>
          </profiles>
          <activeProfiles><activeProfile>outer-build</activeProfile></activeProfiles>
        </settings>
        """
            .formatted(REPO, outer, outer));
  }

  @Test
  @Order(1)
  void theBuildFailsOnARealEscapeWithTheCheckAndItsLocation() throws Exception {
    Build b = mvn("compile");
    assertNotEquals(0, b.status(), b.output());
    assertTrue(b.output().contains("BUILD FAILURE"), b.output());
    assertTrue(
        b.output().contains("[ERROR] " + ENCODER + ":[12,5] [ArenaEscape] 'key' (memory of parameter arena 'arena') is returned from 'key', which is not declared @ArenaScoped"),
        b.output());
    assertTrue(b.output().contains("(see https://github.com/arena-guard/arena-guard/blob/main/docs/checks/ArenaEscape.md)"), b.output());
    // The suppressed escape in LegacyTileCache is not reported.
    assertFalse(b.output().contains("LegacyTileCache.java:["), b.output());

    JsonNode log = SarifSchema.read(WORK.resolve("tiles-core/target/arena-guard.sarif"));
    assertEquals(List.of(), SarifSchema.violations(log));
    JsonNode results = log.get("runs").get(0).get("results");
    assertEquals(1, results.size(), log.toString());
    JsonNode location = results.get(0).get("locations").get(0).get("physicalLocation");
    assertEquals("ArenaEscape", results.get(0).get("ruleId").asText());
    assertEquals("error", results.get(0).get("level").asText());
    assertEquals("tiles-core/src/main/java/com/example/tiles/TileEncoder.java", location.get("artifactLocation").get("uri").asText());
    assertEquals(12, location.get("region").get("startLine").asInt());
    assertEquals(5, location.get("region").get("startColumn").asInt());
  }

  @Test
  @Order(2)
  void theMainCommandResolvesEveryModuleThroughMavenAndFindsTheEscapes() throws Exception {
    Build b = cli(WORK.toString());
    assertEquals(1, b.status(), b.output());
    assertEquals(FINDINGS, CliTest.findings(b.output()), b.output());
    assertFalse(b.output().contains("not compile"), b.output());
    assertFalse(b.output().contains("cannot find symbol"), b.output());
    // Progress while Maven resolves, and while each unit is checked.
    assertTrue(b.output().contains("is a Maven project: resolving the class paths of its modules with"), b.output());
    assertTrue(b.output().contains("arena-guard:   tiles-server [3/3]"), b.output());
    assertTrue(b.output().contains("arena-guard: checking tiles-server (main), 1 file ..."), b.output());
    assertTrue(b.output().matches("(?s).*arena-guard: 5 files of 2 modules checked in \\d+\\.\\d s: 5 findings \\(4 errors, 1 warning\\).*"), b.output());
  }

  @Test
  @Order(3)
  void aModuleThatDoesNotCompileIsOneLineAndTheModulesThatNeedItAreNotChecked() throws Exception {
    String encoder = Files.readString(ENCODER);
    Files.writeString(ENCODER, encoder.replace("return key;", "return key.missing();"));
    try {
      Build b = cli(WORK.toString());
      assertEquals(1, b.status(), b.output());
      List<String> lines = b.output().lines().filter(l -> l.contains("not compile") || l.contains("not checked")).toList();
      assertEquals(
          List.of(
              "tiles-core (main) does not compile: 1 error; the first: tiles-core/src/main/java/com/example/tiles/TileEncoder.java:12:15: cannot find symbol, symbol: method missing(), location: variable key of type java.lang.foreign.MemorySegment",
              "tiles-core (test) was not checked: it needs tiles-core (main), which does not compile",
              "tiles-server (main) was not checked: it needs tiles-core (main), which does not compile",
              "3 source sets (a module's main or test sources) were not checked: the checks need code that compiles"),
          lines,
          b.output());
    } finally {
      Files.writeString(ENCODER, encoder);
    }
  }

  @Test
  @Order(4)
  void withABaselineTheBuildPassesAndOnlyANewEscapeFailsIt() throws Exception {
    Build write = cli(WORK.toString(), "--write-baseline", BASELINE.toString());
    assertEquals(0, write.status(), write.output());
    assertTrue(write.output().contains("5 findings written to the baseline"), write.output());
    assertEquals(5, entries(BASELINE).size(), Files.readString(BASELINE));

    // The gate on, as the README says: the baseline named in the project's POM.
    Path pomFile = WORK.resolve("pom.xml");
    String pom = Files.readString(pomFile);
    Files.writeString(
        pomFile,
        pom.replace(
            "<arena-guard.baseline></arena-guard.baseline>",
            "<arena-guard.baseline>${maven.multiModuleProjectDirectory}/arena-guard-baseline.txt</arena-guard.baseline>"));
    String server = Files.readString(SERVER);
    try {
      gateOn(server);
    } finally {
      Files.writeString(pomFile, pom);
      Files.writeString(SERVER, server);
    }
  }

  /** With the baseline in the POM: the build passes, a new escape fails it, a fixed one is stale. */
  private void gateOn(String server) throws Exception {
    Build gated = mvn("test-compile");
    assertEquals(0, gated.status(), gated.output());
    assertTrue(gated.output().contains("BUILD SUCCESS"), gated.output());
    assertFalse(gated.output().matches("(?s).*\\[(ArenaEscape|ArenaLongLivedOwner|ArenaNotClosed)\\].*"), gated.output());
    // One note per compilation: tiles-core's main and test sources, tiles-server's main sources.
    assertTrue(gated.output().contains("[INFO] arena-guard: 3 findings not reported: in the baseline " + BASELINE), gated.output());

    // A new escape in tiles-server; its old escape fixed, which leaves a stale entry.
    Files.writeString(
        SERVER,
        server
            .replace("      served.put(zoom + \"/\" + x + \"/\" + y, key);\n", "      served.put(zoom + \"/\" + x + \"/\" + y, MemorySegment.ofArray(key.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));\n")
            .replace(
                "  /** The key served last",
                "  public void remember(int size) {\n    try (Arena arena = Arena.ofConfined()) {\n      served.put(\"last\", arena.allocate(size));\n    }\n  }\n\n  /** The key served last"));
    Build failing = mvn("test-compile");
    assertNotEquals(0, failing.status(), failing.output());
    assertTrue(failing.output().contains("[ERROR] " + SERVER + ":[32,"), failing.output());
    assertTrue(
        failing.output().lines().filter(l -> l.contains("[Arena")).allMatch(l -> l.contains("TileServer.java:[32,17] [ArenaEscape]")),
        "only the new escape is reported: " + failing.output());
    assertTrue(failing.output().contains("1 entry of the baseline " + BASELINE + " matched no finding (stale"), failing.output());

    Build checked = cli(WORK.toString(), "--baseline", BASELINE.toString());
    assertEquals(1, checked.status(), checked.output());
    assertEquals(List.of("TileServer.java:32 error ArenaEscape"), CliTest.findings(checked.output()), checked.output());
    assertTrue(checked.output().contains("4 findings in the baseline"), checked.output());
    assertTrue(checked.output().contains("1 entry of the baseline matched no finding (stale"), checked.output());
  }

  @Test
  @Order(5)
  void theBuildWritesTheSameBaselineAsTheMainCommand() throws Exception {
    Path written = WORK.resolve("written-by-the-build.txt");
    Build b = mvn("test-compile", "-Darena-guard.baseline=" + written, "-Derrorprone.flags=-XepOpt:ArenaGuard:WriteBaseline=true");
    assertEquals(0, b.status(), b.output());
    // The findings are shown as warnings while they are recorded.
    assertTrue(b.output().contains("[WARNING] " + ENCODER + ":[12,5] [ArenaEscape]"), b.output());
    assertTrue(b.output().contains("of this compilation written to the baseline " + written), b.output());
    assertEquals(entries(BASELINE), entries(written));
  }

  @Test
  @Order(6)
  void errorPronePatchModeAppliesTheSuggestedFix() throws Exception {
    Build b = mvn("-pl", "tiles-core", "compile", "-Derrorprone.flags=-XepPatchChecks:ArenaEscape -XepPatchLocation:IN_PLACE");
    assertEquals(0, b.status(), b.output());
    String fixed = Files.readString(ENCODER);
    assertTrue(fixed.contains("import dev.arenaguard.annotations.ArenaScoped;"), fixed);
    assertTrue(fixed.contains("@ArenaScoped public static MemorySegment key(int zoom, int x, int y, Arena arena) {"), fixed);
  }

  @Test
  @Order(7)
  void afterTheFixTheBuildPassesAndTheSarifLogHasARunPerCompilation() throws Exception {
    Build b = mvn("-pl", "tiles-core", "test-compile");
    assertEquals(0, b.status(), b.output());
    assertTrue(b.output().contains("BUILD SUCCESS"), b.output());
    assertFalse(b.output().contains("[ArenaEscape]"), b.output());
    // The warning of the test sources is shown, and does not fail the build.
    assertTrue(b.output().matches("(?s).*TileFixtures.java:\\[10,\\d+\\] \\[ArenaNotClosed\\].*"), b.output());

    JsonNode log = SarifSchema.read(WORK.resolve("tiles-core/target/arena-guard.sarif"));
    assertEquals(List.of(), SarifSchema.violations(log));
    List<String> runs = new ArrayList<>();
    for (JsonNode run : log.get("runs")) {
      StringBuilder r = new StringBuilder(run.get("automationDetails").get("id").asText()).append(':');
      for (JsonNode result : run.get("results")) {
        r.append(' ').append(result.get("ruleId").asText()).append('/').append(result.get("level").asText());
      }
      runs.add(r.toString());
    }
    assertEquals(
        List.of("arena-guard/tiles-core/target/classes/:", "arena-guard/tiles-core/target/test-classes/: ArenaNotClosed/warning"),
        runs.stream().sorted().toList());
  }

  private static List<String> entries(Path baseline) throws IOException {
    return Files.readAllLines(baseline).stream().filter(l -> !l.startsWith("#")).sorted().toList();
  }

  /**
   * An environment for a Maven of this test: nothing of the outer build's Maven settings (its
   * arguments, JVM options, rc files), and the staged settings and repository named explicitly.
   */
  private static void hermetic(Map<String, String> env) {
    for (String variable : List.of("MAVEN_ARGS", "MAVEN_OPTS", "MAVEN_CONFIG", "MAVEN_DEBUG_OPTS", "MAVEN_REPO_LOCAL")) {
      env.remove(variable);
    }
    env.put("MAVEN_SKIP_RC", "true");
    env.put("JAVA_HOME", System.getProperty("java.home"));
  }

  private static List<String> mavenArguments() {
    return List.of("-B", "-ntp", "-s", SETTINGS.toString(), "-Dmaven.repo.local=" + REPO);
  }

  private static Path mavenHome() {
    return Path.of(System.getProperty("maven.home", "")).toAbsolutePath();
  }

  /** Runs the inner Maven on the whole sample, from scratch (Maven compiles only what changed). */
  private static Build mvn(String... args) throws Exception {
    deleteTree(WORK.resolve("tiles-core/target"));
    deleteTree(WORK.resolve("tiles-server/target"));
    List<String> command = new ArrayList<>();
    Path mvn = mavenHome().resolve("bin/mvn");
    command.add(Files.isExecutable(mvn) ? mvn.toString() : Path.of("../mvnw").toAbsolutePath().toString());
    command.addAll(mavenArguments());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true);
    hermetic(pb.environment());
    return run(pb);
  }

  /**
   * The main command, as its own process (as {@code ./arena-guard} runs it), with this build's
   * Maven first on the PATH and the staged settings and repository in {@code MAVEN_ARGS}, which
   * is where a user's own Maven settings would be.
   */
  private static Build cli(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("--add-exports") || a.startsWith("--add-opens") || a.startsWith("--enable-native-access"))
            .toList());
    command.add("-D" + "arenaguard.maven=" + Path.of("../mvnw").toAbsolutePath());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ArenaGuardCli.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true);
    hermetic(pb.environment());
    pb.environment().put("MAVEN_ARGS", String.join(" ", mavenArguments()));
    if (Files.isExecutable(mavenHome().resolve("bin/mvn"))) {
      pb.environment().put("PATH", mavenHome().resolve("bin") + File.pathSeparator + pb.environment().getOrDefault("PATH", ""));
    }
    return run(pb);
  }

  private static Build run(ProcessBuilder pb) throws Exception {
    Process p = pb.start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Build(p.waitFor(), output);
  }

  /** Installs a pom (and jar) into the staging repository, as {@code mvn install} lays them out. */
  private static void install(String artifactId, Path pom, Path jar) throws IOException {
    Path dir = Files.createDirectories(REPO.resolve("dev/arenaguard/" + artifactId + "/" + VERSION));
    Files.copy(pom, dir.resolve(artifactId + "-" + VERSION + ".pom"), StandardCopyOption.REPLACE_EXISTING);
    if (jar != null) {
      Files.copy(jar, dir.resolve(artifactId + "-" + VERSION + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The jar a class comes from; a reactor build may give a classes directory, which is jarred. */
  private static Path jarOf(Class<?> type) throws IOException {
    Path location;
    try {
      location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    if (Files.isRegularFile(location)) {
      return location;
    }
    Path jar = Files.createDirectories(Path.of("target/it/jars")).resolve(type.getSimpleName() + ".jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream zip = new JarOutputStream(out);
        Stream<Path> files = Files.walk(location)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        zip.putNextEntry(new JarEntry(location.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, zip);
        zip.closeEntry();
      }
    }
    return jar;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
