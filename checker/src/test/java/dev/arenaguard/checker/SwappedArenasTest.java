package dev.arenaguard.checker;

import org.junit.jupiter.api.Test;

/**
 * Locals that take each other's arenas in a cycle (double buffering: {@code t = front; front =
 * back; back = t;}) are analysed by every check without an internal error (following the aliases
 * once overflowed the stack), and correct code stays silent.
 */
class SwappedArenasTest {
  @Test
  void swappingArenasInALoopIsAnalysed() {
    Sources.allSixChecks(getClass())
        .addSourceLines(
            "Test.java",
            "import java.lang.foreign.*;",
            "import java.util.concurrent.*;",
            "class Test {",
            "  long run(ExecutorService pool, int rounds) throws Exception {",
            "    long sum = 0;",
            "    try (Arena first = Arena.ofShared(); Arena second = Arena.ofShared()) {",
            "      Arena front = first;",
            "      Arena back = second;",
            "      for (int i = 0; i < rounds; i++) {",
            "        MemorySegment s = front.allocate(8);",
            "        sum += pool.submit(() -> s.byteSize()).get();",
            "        Arena t = front;",
            "        front = back;",
            "        back = t;",
            "      }",
            "    }",
            "    return sum;",
            "  }",
            "}")
        .expectNoDiagnostics()
        .doTest();
  }
}
