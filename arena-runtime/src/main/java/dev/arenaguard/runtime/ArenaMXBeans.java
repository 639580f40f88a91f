package dev.arenaguard.runtime;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers the {@link ArenasMXBean} with the platform MBean server, where jconsole, VisualVM and
 * every JMX agent find it.
 *
 * <p>Registration is explicit &mdash; this call, or the system property {@code
 * arenaguard.jmx=true}, which registers the bean when the first arena is created &mdash; and never
 * a side effect of loading the library: the platform MBean server starts JMX machinery that a
 * program using arenas may not want, and two copies of this library in one JVM (two class
 * loaders) would fight over the name. There is one bean for all arenas rather than one per arena
 * because arenas come and go at request rate: registering an MBean per arena would put the MBean
 * server's lock on the path of every arena creation, while the single bean costs nothing until it
 * is read.
 *
 * <p>Thread-safe.
 */
public final class ArenaMXBeans {
  private ArenaMXBeans() {}

  /** The name of the bean: domain {@code dev.arenaguard}, type {@code Arenas}. */
  public static final String OBJECT_NAME = "dev.arenaguard:type=Arenas";

  private static boolean registered; // guarded by ArenaMXBeans.class

  /** {@link #OBJECT_NAME} as an {@link ObjectName}. */
  public static ObjectName objectName() {
    try {
      return new ObjectName(OBJECT_NAME);
    } catch (MalformedObjectNameException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Registers the bean with the platform MBean server, if it is not registered yet.
   *
   * @return the bean's name
   * @throws IllegalStateException if another bean holds the name (another copy of this library
   *     in the JVM registered first)
   */
  public static synchronized ObjectName register() {
    ObjectName name = objectName();
    if (!registered) {
      try {
        server().registerMBean(new View(), name);
      } catch (InstanceAlreadyExistsException e) {
        throw new IllegalStateException(
            "another MBean is registered as " + OBJECT_NAME + " (another copy of arena-guard?)", e);
      } catch (JMException e) {
        throw new IllegalStateException("cannot register " + OBJECT_NAME, e);
      }
      registered = true;
    }
    return name;
  }

  /** Unregisters the bean, if this class registered it. */
  public static synchronized void unregister() {
    if (registered) {
      try {
        server().unregisterMBean(objectName());
      } catch (InstanceNotFoundException e) {
        // unregistered behind our back: nothing left to do
      } catch (JMException e) {
        throw new IllegalStateException("cannot unregister " + OBJECT_NAME, e);
      }
      registered = false;
    }
  }

  /** Whether {@link #register()} registered the bean and it was not unregistered since. */
  public static synchronized boolean isRegistered() {
    return registered;
  }

  /** Registers the bean if {@code arenaguard.jmx} is true; logs, never throws: monitoring is optional. */
  static void registerIfAsked() {
    if (Boolean.getBoolean(Config.JMX)) {
      try {
        register();
      } catch (RuntimeException | LinkageError e) {
        ArenaRegistry.LOGGER.log(
            System.Logger.Level.WARNING, "arena-guard: -D" + Config.JMX + "=true: " + e, e);
      }
    }
  }

  private static MBeanServer server() {
    return ManagementFactory.getPlatformMBeanServer();
  }

  /** The bean: computes everything from the registry when read. */
  private static final class View implements ArenasMXBean {
    /** The open arenas in tree order, with their statistics, read once. */
    private record Row(ArenaImpl arena, String path, int depth, ArenaStats stats) {}

    private static List<Row> rows() {
      List<Row> rows = new ArrayList<>();
      for (BumpArena root : ArenaRegistry.roots()) {
        collect((ArenaImpl) root, root.name(), 0, rows);
      }
      return rows;
    }

    private static void collect(ArenaImpl arena, String path, int depth, List<Row> rows) {
      rows.add(new Row(arena, path, depth, arena.stats()));
      for (ArenaImpl child : arena.childrenSnapshot()) {
        collect(child, path + "/" + child.name, depth + 1, rows);
      }
    }

    private static ArenaStats total() {
      ArenaStats total = new ArenaStats("all arenas", 0, 0, 0, 0, 0, 0, 0);
      for (Row row : rows()) {
        total = total.plus(row.stats());
      }
      return total;
    }

    @Override
    public int getArenaCount() {
      return rows().size();
    }

    @Override
    public long getBytesAllocated() {
      return total().bytesAllocated();
    }

    @Override
    public long getBytesReserved() {
      return total().bytesReserved();
    }

    @Override
    public long getPeakBytesAllocated() {
      return total().peakBytesAllocated();
    }

    @Override
    public long getAllocationCount() {
      return total().allocationCount();
    }

    @Override
    public long getResetCount() {
      return total().resetCount();
    }

    @Override
    public double getReservedToAllocatedRatio() {
      return total().reservedToAllocatedRatio();
    }

    @Override
    public List<ArenaInfo> getArenas() {
      return rows().stream()
          .map(
              row -> {
                ArenaImpl a = row.arena();
                ArenaStats s = row.stats();
                return new ArenaInfo(
                    a.id,
                    a.name,
                    row.path(),
                    a.parent == null ? 0 : a.parent.id,
                    row.depth(),
                    a.isShared() ? "shared" : "confined",
                    a.pool == null ? "" : a.pool.name(),
                    a.createdAt.top(),
                    s.bytesAllocated(),
                    s.bytesReserved(),
                    s.peakBytesAllocated(),
                    s.allocationCount(),
                    s.resetCount(),
                    s.chunks(),
                    s.chunkReservations(),
                    s.reservedToAllocatedRatio());
              })
          .toList();
    }

    @Override
    public String dump() {
      StringBuilder out = new StringBuilder();
      for (BumpArena root : ArenaRegistry.roots()) {
        out.append(root.dump());
      }
      ArenaStats t = total();
      out.append(String.format(
          "All arenas: %,d bytes reserved; %,d bytes allocated (peak %,d); %,d allocations; %,d"
              + " resets%n",
          t.bytesReserved(), t.bytesAllocated(), t.peakBytesAllocated(), t.allocationCount(),
          t.resetCount()));
      return out.toString();
    }
  }
}
