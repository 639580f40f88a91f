package dev.arenaguard.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Helpers for the runtime's tests. */
final class TestSupport {
  private TestSupport() {}

  /** Asserts that {@code report} contains every one of {@code parts}, in this order. */
  static void assertContainsInOrder(String report, String... parts) {
    int at = 0;
    for (String part : parts) {
      int found = report.indexOf(part, at);
      if (found < 0) {
        throw new AssertionError("missing \"" + part + "\" (in order) in:\n" + report);
      }
      at = found + part.length();
    }
  }

  /** Runs {@code task} on a new thread and returns what it returned or threw. */
  static <T> Object onOtherThread(Callable<T> task) throws Exception {
    try (ExecutorService executor = Executors.newSingleThreadExecutor()) {
      Future<Object> f =
          executor.submit(
              () -> {
                try {
                  return task.call();
                } catch (Throwable t) {
                  return t;
                }
              });
      return f.get();
    }
  }

  /** Runs GC until {@code condition} holds, for at most 20 seconds. */
  static boolean gcUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      System.gc();
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  /** Captures what the runtime logs through System.Logger (java.util.logging by default). */
  static final class LogCapture implements AutoCloseable {
    private final Logger logger = Logger.getLogger("dev.arenaguard.runtime");
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            synchronized (records) {
              records.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };

    LogCapture() {
      logger.addHandler(handler);
      logger.setLevel(Level.ALL);
    }

    /** The messages logged at WARNING that contain {@code text}. */
    List<String> warningsContaining(String text) {
      synchronized (records) {
        return records.stream()
            .filter(r -> r.getLevel() == Level.WARNING)
            .map(LogRecord::getMessage)
            .filter(m -> m.contains(text))
            .toList();
      }
    }

    @Override
    public void close() {
      logger.removeHandler(handler);
    }
  }
}
