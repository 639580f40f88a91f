package dev.arenaguard.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arenaguard.sarif.Finding;
import dev.arenaguard.sarif.Rule;
import dev.arenaguard.sarif.SarifLog;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SARIF log that {@code -Xplugin:ArenaGuardSarif} wrote while the corpus was compiled: valid
 * against the official SARIF 2.1.0 schema, and saying exactly what javac reported.
 */
class SarifSchemaTest {

  @Test
  void theVendoredSchemaIsTheOfficialFile() throws Exception {
    try (InputStream in = getClass().getResourceAsStream(SarifSchema.RESOURCE)) {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
      assertEquals("4ca040808b0e8415ce63c323702ebf2a7d96fe949d4a1f67dec2d34a5e3aecd0", HexFormat.of().formatHex(sha));
    }
  }

  @Test
  void theCorpusLogIsValidSarif() {
    Corpus.checked();
    JsonNode log = SarifSchema.read(Corpus.SARIF);
    assertEquals(List.of(), SarifSchema.violations(log));
    assertEquals("2.1.0", log.get("version").asText());
  }

  @Test
  void theValidatorRejectsWhatTheSchemaForbids() {
    Corpus.checked();
    JsonNode log = SarifSchema.read(Corpus.SARIF).deepCopy();
    ObjectNode result = (ObjectNode) log.get("runs").get(0).get("results").get(0);
    result.put("level", "fatal");
    ((ObjectNode) result.get("locations").get(0).get("physicalLocation").get("region")).put("startLine", 0);
    List<String> violations = SarifSchema.violations(log);
    assertTrue(violations.stream().anyMatch(v -> v.contains("level")), violations::toString);
    assertTrue(violations.stream().anyMatch(v -> v.contains("startLine")), violations::toString);
  }

  @Test
  void everyFindingIsAResultWithItsRuleRegionAndLevel() {
    Corpus.Checked checked = Corpus.checked();
    JsonNode log = SarifSchema.read(Corpus.SARIF);
    assertEquals(1, log.get("runs").size());
    JsonNode run = log.get("runs").get(0);
    assertEquals("arena-guard/target/corpus-checked/", run.get("automationDetails").get("id").asText());
    JsonNode rules = run.get("tool").get("driver").get("rules");
    assertEquals(checked.present().size(), rules.size());
    for (JsonNode rule : rules) {
      Rule expected = checked.present().get(rule.get("id").asText());
      assertEquals(expected.link(), rule.get("helpUri").asText());
      assertTrue(expected.link().endsWith("/docs/checks/" + expected.name() + ".md"), expected.link());
      assertEquals(expected.level(), rule.get("defaultConfiguration").get("level").asText());
    }
    URI base = URI.create(run.get("originalUriBaseIds").get("SRCROOT").get("uri").asText());
    List<String> inLog = new ArrayList<>();
    for (JsonNode r : run.get("results")) {
      JsonNode location = r.get("locations").get(0).get("physicalLocation");
      JsonNode region = location.get("region");
      URI file = base.resolve(location.get("artifactLocation").get("uri").asText());
      assertEquals("SRCROOT", location.get("artifactLocation").get("uriBaseId").asText());
      assertEquals(r.get("ruleId").asText(), rules.get(r.get("ruleIndex").asInt()).get("id").asText());
      inLog.add(r.get("ruleId").asText() + " " + r.get("level").asText() + " " + Path.of(file)
          + ":" + region.get("startLine").asInt() + ":" + region.get("startColumn").asInt());
    }
    List<String> reported = new ArrayList<>();
    for (Map.Entry<Path, List<Finding>> e : checked.findings().entrySet()) {
      for (Finding f : e.getValue()) {
        reported.add(f.check() + " " + f.level() + " " + e.getKey() + ":" + f.line() + ":" + f.column());
      }
    }
    assertFalse(reported.isEmpty());
    assertEquals(reported.stream().sorted().toList(), inLog.stream().sorted().toList());
  }

  @Test
  void runsOfOtherCompilationsAreKeptAndTheSameRunIsReplaced(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("arena-guard.sarif");
    Rule escape = new Rule("ArenaEscape", "An arena-backed value outlives the scope of its arena", "error", "https://example.org/ArenaEscape.md");
    Finding f =
        new Finding("ArenaEscape", "error", dir.resolve("src/A.java").toUri(), 3, 5, 3, 12, "'s' escapes \"here\"", "", escape.link());
    SarifLog.write(file, "arena-guard/target/classes/", "1", List.of(escape), List.of(f), dir);
    SarifLog.write(file, "arena-guard/target/test-classes/", "1", List.of(escape), List.of(f, f), dir);
    SarifLog.write(file, "arena-guard/target/classes/", "1", List.of(escape), List.of(), dir);
    JsonNode log = SarifSchema.read(file);
    assertEquals(List.of(), SarifSchema.violations(log));
    assertEquals(2, log.get("runs").size());
    assertEquals("arena-guard/target/test-classes/", log.get("runs").get(0).get("automationDetails").get("id").asText());
    assertEquals(2, log.get("runs").get(0).get("results").size());
    assertEquals(0, log.get("runs").get(1).get("results").size());
    assertEquals("src/A.java", log.get("runs").get(0).get("results").get(0).get("locations").get(0)
        .get("physicalLocation").get("artifactLocation").get("uri").asText());
    assertEquals("'s' escapes \"here\"", log.get("runs").get(0).get("results").get(0).get("message").get("text").asText());
    Files.writeString(file, "not SARIF");
    SarifLog.write(file, "x", "1", List.of(escape), List.of(f), dir);
    assertEquals(1, SarifSchema.read(file).get("runs").size());
  }
}
