package dev.arenaguard.runtime.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bundled example runs, and the runtime catches its bug with both sites named. */
class UseAfterResetExampleTest {

  @Test
  void theExampleCatchesItsUseAfterReset() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      UseAfterResetExample.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("request Ada on request#1: Hello, Ada!"), out);
    assertTrue(out.contains("request Grace on request#1: Hello, Grace!"), out);
    assertTrue(!out.contains("previous greeting"), "the stale read never returned data:\n" + out);
    assertTrue(out.contains("==ERROR: arena-guard: use-after-reset"), out);
    assertTrue(out.contains("FREED BY close() of a pooled arena"), out);
    assertTrue(out.contains("ALLOCATED BY thread"), out);
    assertTrue(out.contains("UseAfterResetExample.handle"), out);
  }
}
