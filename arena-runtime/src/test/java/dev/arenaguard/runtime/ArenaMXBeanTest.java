package dev.arenaguard.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JMX view, read as jconsole reads it: through the platform MBean server, by open types. */
class ArenaMXBeanTest {
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  @AfterEach
  void unregister() {
    ArenaMXBeans.unregister();
  }

  /** The rows of our arenas (other tests' arenas may be open too), by path. */
  private Map<String, CompositeData> rows(ObjectName name, String prefix) throws Exception {
    CompositeData[] rows = (CompositeData[]) server.getAttribute(name, "Arenas");
    return Arrays.stream(rows)
        .filter(r -> ((String) r.get("path")).startsWith(prefix))
        .collect(Collectors.toMap(r -> (String) r.get("path"), Function.identity()));
  }

  @Test
  void theTreeAndItsStatisticsAreReadableWithOpenTypes() throws Exception {
    ObjectName name = ArenaMXBeans.register();
    assertEquals(new ObjectName("dev.arenaguard:type=Arenas"), name);
    assertTrue(server.isRegistered(name));
    try (BumpArena query = BumpArena.ofConfined("jmx-query");
        ArenaPool pool = ArenaPool.ofShared("jmx-pool")) {
      BumpArena parse = query.newChild("parse");
      query.allocate(100);
      parse.allocate(30);
      parse.reset();
      parse.allocate(20);
      try (BumpArena lease = pool.acquire()) {
        lease.allocate(8);
        Map<String, CompositeData> rows = rows(name, "jmx-");
        assertEquals(List.of("jmx-pool#1", "jmx-query", "jmx-query/parse"), rows.keySet().stream().sorted().toList());

        CompositeData q = rows.get("jmx-query");
        assertEquals("jmx-query", q.get("name"));
        assertEquals(0L, q.get("parentId"));
        assertEquals(0, q.get("depth"));
        assertEquals("confined", q.get("kind"));
        assertEquals("", q.get("pool"));
        assertEquals(100L, q.get("bytesAllocated"));
        assertEquals(65_536L, q.get("bytesReserved"));
        assertEquals(655.36, (Double) q.get("reservedToAllocatedRatio"), 1e-9);
        assertTrue(((String) q.get("createdAt")).contains("ArenaMXBeanTest.theTreeAndItsStatistics"), q.toString());

        CompositeData p = rows.get("jmx-query/parse");
        assertEquals(q.get("id"), p.get("parentId"));
        assertEquals(1, p.get("depth"));
        assertEquals(20L, p.get("bytesAllocated"));
        assertEquals(30L, p.get("peakBytesAllocated"));
        assertEquals(2L, p.get("allocationCount"));
        assertEquals(1L, p.get("resetCount"));

        CompositeData leased = rows.get("jmx-pool#1");
        assertEquals("shared", leased.get("kind"));
        assertEquals("jmx-pool", leased.get("pool"));
        assertEquals(8L, leased.get("bytesAllocated"));

        long allocated = (Long) server.getAttribute(name, "BytesAllocated");
        assertTrue(allocated >= 128, "the totals include our 100 + 20 + 8 bytes: " + allocated);
        assertTrue((Integer) server.getAttribute(name, "ArenaCount") >= 3);
        String dump = (String) server.invoke(name, "dump", null, null);
        assertTrue(dump.contains("jmx-query (confined)"), dump);
        assertTrue(dump.contains("  parse (confined)"), dump);
        assertTrue(dump.contains("All arenas:"), dump);
      }
    }
    assertTrue(rows(name, "jmx-").isEmpty(), "closed arenas leave the view");
  }

  @Test
  void aTypedProxyReadsTheSameBean() throws Exception {
    ArenasMXBean proxy = JMX.newMXBeanProxy(server, ArenaMXBeans.register(), ArenasMXBean.class);
    try (BumpArena arena = BumpArena.ofConfined("jmx-proxy")) {
      arena.allocate(64);
      ArenasMXBean.ArenaInfo row =
          proxy.getArenas().stream().filter(a -> a.name().equals("jmx-proxy")).findFirst().orElseThrow();
      assertEquals(64, row.bytesAllocated());
      assertEquals(1, row.allocationCount());
      assertTrue(proxy.getBytesReserved() >= 65_536);
    }
  }

  @Test
  void registrationIsExplicitIdempotentAndReversible() throws Exception {
    ObjectName name = ArenaMXBeans.objectName();
    assertFalse(server.isRegistered(name), "loading the library registers nothing");
    BumpArena.ofConfined("jmx-no-side-effect").close();
    assertFalse(server.isRegistered(name), "creating arenas registers nothing");
    assertSame(ArenaMXBeans.register().getClass(), ArenaMXBeans.register().getClass());
    assertTrue(ArenaMXBeans.isRegistered());
    ArenaMXBeans.unregister();
    assertFalse(server.isRegistered(name));
    assertFalse(ArenaMXBeans.isRegistered());
  }

  @Test
  void theSystemPropertyOptsIn() {
    String before = System.getProperty("arenaguard.jmx");
    try {
      ArenaMXBeans.registerIfAsked();
      assertFalse(server.isRegistered(ArenaMXBeans.objectName()));
      System.setProperty("arenaguard.jmx", "true");
      ArenaMXBeans.registerIfAsked();
      assertTrue(server.isRegistered(ArenaMXBeans.objectName()));
    } finally {
      if (before == null) {
        System.clearProperty("arenaguard.jmx");
      } else {
        System.setProperty("arenaguard.jmx", before);
      }
    }
  }
}
