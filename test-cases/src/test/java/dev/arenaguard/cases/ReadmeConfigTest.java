package dev.arenaguard.cases;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Maven configuration the READMEs show is quoted from the sample project that {@link
 * MavenBuildGateIT} builds, so that what users copy is what was proven. The section {@code
 * maven-config} is regenerated in {@code test-cases/README.md}, and in the root {@code README.md}
 * wherever it has that section.
 */
class ReadmeConfigTest {
  static final Path SAMPLE = Path.of("src/it/build-gate");

  static String section() throws Exception {
    String pom = Files.readString(SAMPLE.resolve("pom.xml"));
    int from = pom.indexOf("  <properties>");
    int to = pom.indexOf("</build>") + "</build>".length();
    assertTrue(from > 0 && to > from, "the sample pom has <properties> ... </build>");
    String jvmConfig = Files.readString(SAMPLE.resolve(".mvn/jvm.config"));
    return "`pom.xml` (from [`test-cases/src/it/build-gate/pom.xml`](test-cases/src/it/build-gate/pom.xml)):\n\n"
        + "```xml\n" + pom.substring(from, to).stripIndent().strip() + "\n```\n\n"
        + "`.mvn/jvm.config` (Error Prone reaches into javac internals, and Maven runs javac inside its own JVM):\n\n"
        + "```\n" + jvmConfig.strip() + "\n```\n";
  }

  @Test
  void theReadmesQuoteTheSampleProject() throws Exception {
    String section = section();
    assertTrue(section.contains("<arg>-Xplugin:ErrorProne -XepOpt:ArenaGuard:Baseline=${arena-guard.baseline} ${errorprone.flags}</arg>"), section);
    GeneratedSection.update(Path.of("README.md"), "maven-config", section.replace("](test-cases/", "](").replace("[`test-cases/", "[`"), true);
    GeneratedSection.update(Path.of("../README.md"), "maven-config", section, false);
  }
}
