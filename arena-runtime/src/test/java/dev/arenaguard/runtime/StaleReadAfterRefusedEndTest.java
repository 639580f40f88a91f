package dev.arenaguard.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reads a large stale segment after every kind of refused end ({@link StaleReadAfterRefusedEnd}),
 * in a JVM of its own: reading freed memory crashes a JVM, and a crash in this one would end the
 * test run without a report; here it is a failed assertion that names the scenario.
 */
class StaleReadAfterRefusedEndTest {

  @Test
  void aStaleSegmentThrowsAfterEveryKindOfRefusedEnd() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-XX:-CreateCoredumpOnCrash",
                "-XX:ErrorFile=" + System.getProperty("java.io.tmpdir") + "/arena-guard-hs_err_%p.log",
                "-cp",
                System.getProperty("java.class.path"),
                StaleReadAfterRefusedEnd.class.getName())
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the scenarios finished");
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    List<String> names = List.copyOf(StaleReadAfterRefusedEnd.scenarios().keySet());
    assertEquals(0, p.exitValue(), "exit status (134: the JVM crashed)\n" + output);
    for (String name : names) {
      assertTrue(output.contains("ok " + name), "scenario \"" + name + "\":\n" + output);
    }
  }
}
