package dev.arenaguard.sarif;

import com.google.errorprone.BugPattern;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An arena-guard check as a SARIF rule: its name (the rule id), summary, default level and
 * documentation page, read from its {@code @BugPattern}.
 */
public record Rule(String name, String summary, String level, String link) {

  private static final String SERVICES = "META-INF/services/com.google.errorprone.bugpatterns.BugChecker";

  /**
   * The arena-guard checks registered for Error Prone on {@code loader}'s class path, by name, in
   * registration order: the checks that are present, whichever have landed in this build.
   */
  public static Map<String, Rule> present(ClassLoader loader) {
    Map<String, Rule> rules = new LinkedHashMap<>();
    try {
      Enumeration<URL> files = loader.getResources(SERVICES);
      while (files.hasMoreElements()) {
        try (BufferedReader in =
            new BufferedReader(new InputStreamReader(files.nextElement().openStream(), StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            String className = line.replaceFirst("#.*", "").strip();
            if (className.startsWith("dev.arenaguard.")) {
              Rule rule = of(Class.forName(className, false, loader));
              rules.putIfAbsent(rule.name(), rule);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("a registered arena-guard check is missing: " + e.getMessage(), e);
    }
    return rules;
  }

  static Rule of(Class<?> check) {
    BugPattern pattern = check.getAnnotation(BugPattern.class);
    if (pattern == null) {
      throw new IllegalStateException(check.getName() + " has no @BugPattern");
    }
    String name = pattern.name().isEmpty() ? check.getSimpleName() : pattern.name();
    String level =
        switch (pattern.severity()) {
          case ERROR -> "error";
          case WARNING -> "warning";
          case SUGGESTION -> "note";
        };
    return new Rule(name, pattern.summary(), level, pattern.link());
  }
}
