package dev.arenaguard.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The official SARIF 2.1.0 JSON schema (vendored, see {@code sarif/ORIGIN.md}) as a validator. */
final class SarifSchema {
  private SarifSchema() {}

  static final String RESOURCE = "/sarif/sarif-schema-2.1.0.json";
  static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchema SCHEMA = load();

  private static JsonSchema load() {
    try (InputStream in = SarifSchema.class.getResourceAsStream(RESOURCE)) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema violations of a SARIF log, as messages; empty when it is valid. */
  static List<String> violations(JsonNode log) {
    return SCHEMA.validate(log).stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
