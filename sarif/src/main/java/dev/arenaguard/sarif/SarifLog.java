package dev.arenaguard.sarif;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes arena-guard findings as a SARIF 2.1.0 log: one run per compilation, the checks as
 * rules (id = check name, help link = its documentation page), each finding with its file, region
 * and level.
 *
 * <p>One file can collect several compilations — a Maven module's main and test sources, each
 * compiled by its own javac run. A run is identified by its {@code automationDetails.id} (derived
 * from the compilation's class output directory); writing a run replaces the run with the same id
 * in the file and keeps the others, so rebuilding does not duplicate results. The file is written
 * one run per line so that this merge needs no JSON parser; a file this class did not write is
 * replaced whole.
 */
public final class SarifLog {
  private SarifLog() {}

  /** The OASIS SARIF 2.1.0 schema, as a log's {@code $schema}. */
  public static final String SCHEMA =
      "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

  static final String BASE_ID = "SRCROOT";
  private static final String RUN_PREFIX = "    {\"automationDetails\":{\"id\":";
  private static final Pattern RUN_ID = Pattern.compile("^    \\{\"automationDetails\":\\{\"id\":\"((?:[^\"\\\\]|\\\\.)*)\"");

  /**
   * Writes (or replaces) the run {@code runId} in {@code file}.
   *
   * @param base the directory that file locations are relative to ({@code %SRCROOT%} in the log),
   *     usually the working directory, which for a build is the project's root
   */
  public static void write(
      Path file, String runId, String toolVersion, Collection<Rule> rules, List<Finding> findings, Path base)
      throws IOException {
    List<String> runs = new ArrayList<>();
    if (Files.isRegularFile(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        Matcher m = RUN_ID.matcher(line);
        if (m.find() && !unescape(m.group(1)).equals(runId)) {
          runs.add(line.endsWith(",") ? line.substring(0, line.length() - 1) : line);
        }
      }
    }
    runs.add(run(runId, toolVersion, rules, findings, base));
    StringBuilder out = new StringBuilder();
    out.append("{\n")
        .append("  \"$schema\": ").append(quote(SCHEMA)).append(",\n")
        .append("  \"version\": \"2.1.0\",\n")
        .append("  \"runs\": [\n");
    for (int i = 0; i < runs.size(); i++) {
      out.append(runs.get(i)).append(i + 1 < runs.size() ? ",\n" : "\n");
    }
    out.append("  ]\n}\n");
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    Files.writeString(tmp, out, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** One run as a single line of JSON, starting with its automationDetails. */
  static String run(String runId, String toolVersion, Collection<Rule> rules, List<Finding> findings, Path base) {
    List<String> ids = rules.stream().map(Rule::name).toList();
    StringBuilder r = new StringBuilder(RUN_PREFIX).append(quote(runId)).append("},");
    r.append("\"tool\":{\"driver\":{\"name\":\"arena-guard\",")
        .append("\"informationUri\":\"https://github.com/arena-guard/arena-guard\",")
        .append("\"version\":").append(quote(toolVersion)).append(",")
        .append("\"rules\":[");
    boolean first = true;
    for (Rule rule : rules) {
      r.append(first ? "" : ",");
      first = false;
      // No "name": SARIF wants it to differ from the id when present (validator rule SARIF1001).
      r.append("{\"id\":").append(quote(rule.name()))
          .append(",\"shortDescription\":{\"text\":").append(quote(rule.summary())).append("}")
          .append(",\"helpUri\":").append(quote(rule.link()))
          .append(",\"help\":{\"text\":").append(quote(rule.summary() + ". See " + rule.link()))
          .append(",\"markdown\":").append(quote(rule.summary() + ". See [" + rule.name() + "](" + rule.link() + ")."))
          .append("}")
          .append(",\"defaultConfiguration\":{\"level\":").append(quote(rule.level())).append("}}");
    }
    r.append("]}},");
    URI baseUri = base.toAbsolutePath().normalize().toUri();
    r.append("\"originalUriBaseIds\":{\"").append(BASE_ID).append("\":{\"uri\":")
        .append(quote(baseUri.toString().endsWith("/") ? baseUri.toString() : baseUri + "/"))
        .append("}},");
    r.append("\"columnKind\":\"utf16CodeUnits\",");
    r.append("\"results\":[");
    first = true;
    for (Finding f : findings) {
      r.append(first ? "" : ",");
      first = false;
      int ruleIndex = ids.indexOf(f.check());
      String message = f.suggestion().isEmpty() ? f.message() : f.message() + "\nDid you mean " + f.suggestion();
      r.append("{\"ruleId\":").append(quote(f.check()));
      if (ruleIndex >= 0) {
        r.append(",\"ruleIndex\":").append(ruleIndex);
      }
      r.append(",\"level\":").append(quote(f.level()))
          .append(",\"message\":{\"text\":").append(quote(message)).append("}")
          .append(",\"locations\":[{\"physicalLocation\":{\"artifactLocation\":");
      URI relative = baseUri.relativize(f.file());
      if (relative.isAbsolute()) {
        r.append("{\"uri\":").append(quote(f.file().toString())).append("}");
      } else {
        r.append("{\"uri\":").append(quote(relative.toString()))
            .append(",\"uriBaseId\":\"").append(BASE_ID).append("\"}");
      }
      r.append(",\"region\":{\"startLine\":").append(f.line())
          .append(",\"startColumn\":").append(f.column())
          .append(",\"endLine\":").append(f.endLine())
          .append(",\"endColumn\":").append(f.endColumn())
          .append("}}}]}");
    }
    r.append("]}");
    return r.toString();
  }

  /** A JSON string literal. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        switch (n) {
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'u' -> {
            b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
            i += 4;
          }
          default -> b.append(n);
        }
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
