package dev.arenaguard.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arenaguard.annotations.ArenaScoped;
import dev.arenaguard.checker.ArenaEscape;
import dev.arenaguard.sarif.ArenaGuardSarif;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Maven build gate, proven with a real Maven build: the sample project {@code
 * src/it/build-gate}, configured exactly as the README documents (the README quotes its pom), is
 * built by the same Maven that runs this build, against a local repository under {@code target}
 * into which this build's arena-guard jars are installed (everything else is taken from the
 * outer build's local repository, or Maven Central). It fails on a real escape with the check's
 * name and file:line, passes once Error Prone's patch mode has applied the suggested fix, honours
 * {@code @SuppressWarnings("ArenaEscape")}, and writes a valid SARIF log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MavenBuildGateIT {
  static final Path SAMPLE = Path.of("src/it/build-gate");
  static final Path WORK = Path.of("target/it/build-gate").toAbsolutePath();
  static final Path REPO = Path.of("target/it/repository").toAbsolutePath();
  static final Path SETTINGS = Path.of("target/it/settings.xml").toAbsolutePath();
  static final String VERSION = System.getProperty("arenaguard.version", "0.1.0-SNAPSHOT");

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
    String file = WORK.resolve("src/main/java/com/example/tiles/TileEncoder.java").toString();
    assertTrue(
        b.output().contains("[ERROR] " + file + ":[12,5] [ArenaEscape] 'key' (memory of parameter arena 'arena') is returned from 'key', which is not declared @ArenaScoped"),
        b.output());
    assertTrue(b.output().contains("(see https://github.com/arena-guard/arena-guard/blob/main/docs/checks/ArenaEscape.md)"), b.output());
    // The suppressed escape in LegacyTileCache is not reported.
    assertFalse(b.output().contains("LegacyTileCache.java:["), b.output());

    JsonNode log = SarifSchema.read(WORK.resolve("target/arena-guard.sarif"));
    assertEquals(List.of(), SarifSchema.violations(log));
    JsonNode results = log.get("runs").get(0).get("results");
    assertEquals(1, results.size(), log.toString());
    JsonNode location = results.get(0).get("locations").get(0).get("physicalLocation");
    assertEquals("ArenaEscape", results.get(0).get("ruleId").asText());
    assertEquals("error", results.get(0).get("level").asText());
    assertEquals("src/main/java/com/example/tiles/TileEncoder.java", location.get("artifactLocation").get("uri").asText());
    assertEquals(12, location.get("region").get("startLine").asInt());
    assertEquals(5, location.get("region").get("startColumn").asInt());
  }

  @Test
  @Order(2)
  void errorPronePatchModeAppliesTheSuggestedFix() throws Exception {
    Build b = mvn("compile", "-Derrorprone.flags=-XepPatchChecks:ArenaEscape -XepPatchLocation:IN_PLACE");
    assertEquals(0, b.status(), b.output());
    String fixed = Files.readString(WORK.resolve("src/main/java/com/example/tiles/TileEncoder.java"));
    assertTrue(fixed.contains("import dev.arenaguard.annotations.ArenaScoped;"), fixed);
    assertTrue(fixed.contains("@ArenaScoped public static MemorySegment key(int zoom, int x, int y, Arena arena) {"), fixed);
  }

  @Test
  @Order(3)
  void afterTheFixTheBuildPassesAndTheSarifLogHasARunPerCompilation() throws Exception {
    Build b = mvn("test-compile");
    assertEquals(0, b.status(), b.output());
    assertTrue(b.output().contains("BUILD SUCCESS"), b.output());
    assertFalse(b.output().contains("[ArenaEscape]"), b.output());
    // The warning of the test sources is shown, and does not fail the build.
    assertTrue(b.output().matches("(?s).*TileFixtures.java:\\[10,\\d+\\] \\[ArenaNotClosed\\].*"), b.output());

    JsonNode log = SarifSchema.read(WORK.resolve("target/arena-guard.sarif"));
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
        List.of("arena-guard/target/classes/:", "arena-guard/target/test-classes/: ArenaNotClosed/warning"),
        runs.stream().sorted().toList());
  }

  private static Build mvn(String... args) throws Exception {
    Path home = Path.of(System.getProperty("maven.home", "")).toAbsolutePath();
    List<String> command = new ArrayList<>();
    command.add(Files.isExecutable(home.resolve("bin/mvn")) ? home.resolve("bin/mvn").toString() : Path.of("../mvnw").toAbsolutePath().toString());
    command.addAll(List.of("-B", "-ntp", "-s", SETTINGS.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("MAVEN_OPTS");
    Process p = pb.start();
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
