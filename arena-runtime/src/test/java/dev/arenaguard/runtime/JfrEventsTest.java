package dev.arenaguard.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JFR events: what a recording of an arena's life contains, and their metadata. */
class JfrEventsTest {
  static final List<String> EVENTS =
      List.of(
          "dev.arenaguard.ArenaCreated",
          "dev.arenaguard.ArenaClosed",
          "dev.arenaguard.ArenaReset",
          "dev.arenaguard.PhaseEnded",
          "dev.arenaguard.RetentionWarning",
          "dev.arenaguard.LimitExceeded",
          "dev.arenaguard.ArenaLeaked");

  /** Records every arena-guard event while {@code body} runs; returns those {@code mine} keeps. */
  private static List<RecordedEvent> record(Runnable body, Predicate<RecordedEvent> mine) {
    List<RecordedEvent> events = new CopyOnWriteArrayList<>();
    try (RecordingStream stream = new RecordingStream()) {
      for (String name : EVENTS) {
        stream.enable(name);
        stream.onEvent(name, events::add);
      }
      stream.startAsync();
      body.run();
      stream.stop(); // flushes and waits until every event was delivered
    }
    return events.stream().filter(mine).toList();
  }

  private static Predicate<RecordedEvent> arenaNamed(String prefix) {
    return e -> e.getString("arena").startsWith(prefix);
  }

  private static List<String> names(List<RecordedEvent> events) {
    return events.stream()
        .map(e -> e.getEventType().getName().substring("dev.arenaguard.".length()) + " " + e.getString("arena"))
        .toList();
  }

  @Test
  void anArenasLifeIsRecorded() {
    List<RecordedEvent> events =
        record(
            () -> {
              try (BumpArena arena = BumpArena.ofConfined("jfr-life")) {
                BumpArena child = arena.newChild("jfr-life/child");
                child.allocate(5);
                try (Phase phase = arena.phase()) {
                  arena.allocate(10);
                }
                arena.allocate(30);
                arena.reset();
                arena.allocate(7);
              }
            },
            arenaNamed("jfr-life"));
    assertEquals(
        List.of(
            "ArenaCreated jfr-life",
            "ArenaCreated jfr-life/child",
            "PhaseEnded jfr-life",
            "ArenaReset jfr-life/child", // descendants first
            "ArenaReset jfr-life",
            "ArenaClosed jfr-life/child",
            "ArenaClosed jfr-life"),
        names(events));

    RecordedEvent created = events.get(0);
    assertEquals("confined", created.getString("kind"));
    assertNull(created.getString("parent"));
    assertEquals(0, created.getLong("parentId"));
    assertTrue(
        created.getStackTrace().getFrames().stream()
            .anyMatch(f -> f.getMethod().getName().startsWith("lambda$anArenasLifeIsRecorded")),
        "the creation event's stack shows the creation site");
    RecordedEvent child = events.get(1);
    assertEquals("jfr-life", child.getString("parent"));
    assertEquals(created.getLong("arenaId"), child.getLong("parentId"));
    assertTrue(child.getLong("arenaId") != created.getLong("arenaId"));

    RecordedEvent phase = events.get(2);
    assertEquals(1, phase.getInt("depth"));
    assertEquals(10, phase.getLong("bytesReleased"));

    assertEquals(5, events.get(3).getLong("bytesReleased"), "the child's reset, first");
    RecordedEvent reset = events.get(4);
    assertEquals(30, reset.getLong("bytesReleased"));
    assertEquals(65_536, reset.getLong("bytesReserved"), "the retained chunk");
    assertFalse(reset.getDuration().isNegative());

    RecordedEvent closed = events.get(6);
    assertEquals(created.getLong("arenaId"), closed.getLong("arenaId"));
    assertEquals(7, closed.getLong("bytesReleased"));
    assertEquals(65_536, closed.getLong("bytesReserved"));
    assertEquals(30, closed.getLong("peakBytesAllocated"));
    assertEquals(3, closed.getLong("allocations"));
    assertEquals(1, closed.getLong("resets"));
    assertTrue(closed.getDuration("lifetime").toNanos() > 0);
  }

  @Test
  void pooledArenasNameTheirPool() {
    try (ArenaPool pool = ArenaPool.ofConfined("jfr-pool")) {
      List<RecordedEvent> events =
          record(
              () -> {
                try (BumpArena lease = pool.acquire()) {
                  lease.allocate(8);
                }
              },
              arenaNamed("jfr-pool"));
      assertEquals(List.of("ArenaCreated jfr-pool#1", "ArenaReset jfr-pool#1"), names(events));
      assertEquals("jfr-pool", events.get(0).getString("pool"));
      assertEquals(8, events.get(1).getLong("bytesReleased"));
    }
  }

  @Test
  void sharedArenaResetsAreTimed() {
    List<RecordedEvent> events =
        record(
            () -> {
              try (BumpArena arena = BumpArena.ofShared("jfr-shared")) {
                arena.allocate(8);
                arena.reset();
              }
            },
            e -> e.getEventType().getName().endsWith("ArenaReset") && arenaNamed("jfr-shared").test(e));
    assertEquals(1, events.size());
    // A shared reset closes a shared scope: a handshake with every thread, never free.
    assertTrue(events.get(0).getDuration().toNanos() > 0, events.toString());
  }

  @Test
  void limitAndRetentionWarningsAreRecordedWithTheirNumbers() {
    List<RecordedEvent> events =
        record(
            () -> {
              try (BumpArena limited = BumpArena.builder("jfr-limited").byteLimit(100).build()) {
                limited.allocate(60);
                assertThrows(ArenaLimitExceededException.class, () -> limited.allocate(50));
              }
              // The default policy (LOG) logs; a running recording gets the event too.
              try (BumpArena cache =
                  BumpArena.builder("jfr-cache")
                      .watchdog(WatchdogPolicy.LOG)
                      .watchdogMaxAllocations(10)
                      .build()) {
                for (int i = 0; i < 20; i++) {
                  cache.allocate(16);
                }
              }
            },
            e ->
                (e.getEventType().getName().endsWith("LimitExceeded")
                        || e.getEventType().getName().endsWith("RetentionWarning"))
                    && (arenaNamed("jfr-limited").test(e) || arenaNamed("jfr-cache").test(e)));
    assertEquals(List.of("LimitExceeded jfr-limited", "RetentionWarning jfr-cache"), names(events));
    RecordedEvent limit = events.get(0);
    assertEquals("jfr-limited", limit.getString("limitArena"));
    assertFalse(limit.getBoolean("treeLimit"));
    assertEquals(100, limit.getLong("limit"));
    assertEquals(50, limit.getLong("requested"));
    assertEquals(60, limit.getLong("allocated"));
    assertNotNull(limit.getStackTrace(), "a refused allocation shows where it was attempted");
    RecordedEvent warning = events.get(1);
    assertEquals(10, warning.getLong("allocations"));
    assertEquals(160, warning.getLong("bytesAllocated"));
    assertTrue(warning.getString("creationSite").contains("JfrEventsTest"), warning.toString());
  }

  @Test
  void aLeakIsRecorded() throws InterruptedException {
    List<RecordedEvent> events = new CopyOnWriteArrayList<>();
    CountDownLatch leaked = new CountDownLatch(1);
    try (RecordingStream stream = new RecordingStream()) {
      for (String name : List.of("dev.arenaguard.ArenaCreated", "dev.arenaguard.ArenaLeaked")) {
        stream.enable(name);
        stream.onEvent(
            name,
            e -> {
              if (e.getString("arena").equals("jfr-leaked")) {
                events.add(e);
                if (e.getEventType().getName().endsWith("ArenaLeaked")) {
                  leaked.countDown();
                }
              }
            });
      }
      stream.startAsync();
      leak("jfr-leaked");
      // The cleaner reports once a GC found the arena unreachable; the stream delivers it soon after.
      assertTrue(TestSupport.gcUntil(() -> leaked.getCount() == 0), "no leak event within 20 s");
    }
    assertEquals(2, events.size(), events.toString());
    RecordedEvent leak = events.get(1);
    assertEquals(65_536, leak.getLong("bytesReserved"));
    assertTrue(leak.getString("creationSite").contains("JfrEventsTest.leak"), leak.toString());
    assertEquals(
        events.get(0).getLong("arenaId"), leak.getLong("arenaId"), "same id as its creation event");
  }

  private static void leak(String name) {
    BumpArena.ofConfined(name).allocate(8);
  }

  @Test
  void eventsCanBeReadFromARecordingFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("arenas.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("dev.arenaguard.ArenaReset");
      recording.start();
      try (BumpArena arena = BumpArena.ofConfined("jfr-file")) {
        arena.allocate(42);
        arena.reset();
      }
      recording.stop();
      recording.dump(file);
    }
    assertTrue(Files.size(file) > 0);
    List<RecordedEvent> resets =
        RecordingFile.readAllEvents(file).stream()
            .filter(e -> e.getEventType().getName().equals("dev.arenaguard.ArenaReset"))
            .filter(arenaNamed("jfr-file"))
            .toList();
    assertEquals(1, resets.size());
    assertEquals(42, resets.get(0).getLong("bytesReleased"));
  }

  @Test
  void metadataIsConsistent() {
    // Every event class the runtime declares, registered (as its first use would).
    for (Class<?> c : ArenaEvents.class.getDeclaredClasses()) {
      if (Event.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
        FlightRecorder.register(c.asSubclass(Event.class));
      }
    }
    Map<String, EventType> types =
        FlightRecorder.getFlightRecorder().getEventTypes().stream()
            .filter(t -> t.getName().startsWith("dev.arenaguard."))
            .collect(Collectors.toMap(EventType::getName, t -> t));
    assertEquals(Set.copyOf(EVENTS), types.keySet());
    for (EventType type : types.values()) {
      assertEquals(List.of("arena-guard"), type.getCategoryNames(), type.getName());
      assertNotNull(type.getLabel(), type.getName());
      assertNotNull(type.getDescription(), type.getName());
      for (ValueDescriptor field : type.getFields()) {
        if (Set.of("startTime", "duration", "eventThread", "stackTrace").contains(field.getName())) {
          continue;
        }
        assertNotNull(field.getLabel(), type.getName() + "." + field.getName());
        if (field.getName().startsWith("bytes")
            || List.of("limit", "requested", "allocated").contains(field.getName())) {
          assertEquals("jdk.jfr.DataAmount", field.getContentType(), type.getName() + "." + field.getName());
        }
      }
      assertNotNull(type.getField("arena"), type.getName());
      assertNotNull(type.getField("arenaId"), type.getName());
    }
    // High-rate events are throttled and carry no stack trace by default.
    for (String name : List.of("dev.arenaguard.ArenaReset", "dev.arenaguard.PhaseEnded")) {
      assertTrue(
          types.get(name).getSettingDescriptors().stream()
              .anyMatch(s -> s.getName().equals("throttle") && s.getDefaultValue().equals("1000/s")),
          name);
      assertTrue(
          types.get(name).getSettingDescriptors().stream()
              .anyMatch(s -> s.getName().equals("stackTrace") && s.getDefaultValue().equals("false")),
          name);
    }
  }
}
