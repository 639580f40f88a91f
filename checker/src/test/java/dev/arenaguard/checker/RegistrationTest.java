package dev.arenaguard.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.BugPattern;
import com.google.errorprone.bugpatterns.BugChecker;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The checks are found the way Error Prone finds plugins on the processor path. */
class RegistrationTest {
  @Test
  void serviceLoaderInstantiatesEveryCheck() {
    List<String> names =
        ServiceLoader.load(BugChecker.class).stream()
            .map(ServiceLoader.Provider::get)
            .map(BugChecker::canonicalName)
            .sorted()
            .toList();
    assertEquals(
        List.of(
            "ArenaAnnotationMisuse",
            "ArenaEscape",
            "ArenaLongLivedOwner",
            "ArenaNotClosed",
            "ArenaThreadConfinement",
            "ArenaUseAfterClose"),
        names);
  }

  @Test
  void everyCheckLinksToItsPageAndHasItsSeverity() {
    for (Class<?> check :
        List.of(
            ArenaEscape.class,
            ArenaAnnotationMisuse.class,
            ArenaThreadConfinement.class,
            ArenaLongLivedOwner.class,
            ArenaUseAfterClose.class,
            ArenaNotClosed.class)) {
      BugPattern pattern = check.getAnnotation(BugPattern.class);
      assertEquals(BugPattern.LinkType.CUSTOM, pattern.linkType());
      assertEquals(ArenaGuardChecker.DOCS + check.getSimpleName() + ".md", pattern.link());
      assertEquals(
          check == ArenaNotClosed.class ? BugPattern.SeverityLevel.WARNING : BugPattern.SeverityLevel.ERROR,
          pattern.severity(),
          check.getSimpleName());
      assertTrue(
          java.nio.file.Files.exists(java.nio.file.Path.of("../docs/checks/" + check.getSimpleName() + ".md")),
          "documentation page of " + check.getSimpleName());
    }
  }
}
