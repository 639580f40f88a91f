/**
 * arena-guard's runtime arena: {@link dev.arenaguard.runtime.BumpArena}, a bump allocator that is
 * a {@link java.lang.foreign.Arena}, with phases, child arenas, O(1) reset, deterministic failure
 * of every use after reset, debug reports, a retention watchdog, leak detection, statistics and
 * byte limits.
 *
 * <p>The module calls restricted methods ({@code MemorySegment.reinterpret} and a {@code Linker}
 * downcall to {@code malloc}/{@code free}): run with {@code
 * --enable-native-access=dev.arenaguard.runtime} on the module path, or {@code
 * --enable-native-access=ALL-UNNAMED} on the class path.
 */
module dev.arenaguard.runtime {
  // JFR is part of the JDK: the watchdog's JFR policy commits a jdk.jfr.Event.
  requires jdk.jfr;
  // JMX is part of the JDK: ArenaMXBeans registers an MXBean with the platform MBean server.
  requires java.management;

  exports dev.arenaguard.runtime;
}
