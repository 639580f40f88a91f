package dev.arenaguard.checker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.ErrorProneFlags;
import dev.arenaguard.checker.core.ArenaGuardConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A compilation without arena memory never reads the built-in library models: parsing them is
 * most of the checker's start-up, which a module with no FFM code should not pay. Each test uses
 * flags of its own, so that it gets a configuration of its own from the cache.
 */
class LazyModelsTest {
  private static ArenaGuardConfig compileWithEveryCheck(String owners, String... source) {
    Sources.allSixChecks(LazyModelsTest.class)
        .setArgs("-XepOpt:ArenaGuard:LongLivedOwnerAnnotations=" + owners)
        .addSourceLines("Test.java", source)
        .doTest();
    return ArenaGuardConfig.from(ErrorProneFlags.fromMap(Map.of("ArenaGuard:LongLivedOwnerAnnotations", owners)));
  }

  @Test
  void codeWithoutArenaMemoryNeverReadsTheModels() {
    // Calls on JDK types the stubs model (List.add, Future.get, executors), an override, a
    // try-with-resources, a lambda handed to another thread, fields and collections.
    ArenaGuardConfig config =
        compileWithEveryCheck(
            "com.example.lazy.NoArenaOwner",
            "import java.io.*;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "class Test extends AbstractList<String> {",
            "  private final List<String> items = new ArrayList<>();",
            "  static final Map<String, Object> CACHE = new HashMap<>();",
            "  @Override public String get(int i) { return items.get(i); }",
            "  @Override public int size() { return items.size(); }",
            "  @Override public boolean add(String s) { CACHE.put(s, this); return items.add(s); }",
            "  String read(File f, ExecutorService pool) throws Exception {",
            "    try (Reader r = new FileReader(f)) {",
            "      Future<String> task = pool.submit(() -> items.toString() + r.read());",
            "      return task.get();",
            "    }",
            "  }",
            "}");
    assertFalse(config.modelsRead(), "the built-in stubs were parsed for code without arena memory");
  }

  @Test
  void codeWithArenaMemoryReadsThem() {
    ArenaGuardConfig config =
        compileWithEveryCheck(
            "com.example.lazy.ArenaOwner",
            "import java.lang.foreign.*;",
            "class Test {",
            "  long f() {",
            "    try (Arena arena = Arena.ofConfined()) {",
            "      return arena.allocate(8).byteSize();",
            "    }",
            "  }",
            "}");
    assertTrue(config.modelsRead());
  }
}
