/**
 * Bump arenas that are {@link java.lang.foreign.Arena}s, and the tools that keep them honest.
 *
 * <h2>The idea</h2>
 *
 * A {@link dev.arenaguard.runtime.BumpArena} hands out memory by bumping a pointer through large
 * native chunks, and frees everything at once: {@link dev.arenaguard.runtime.BumpArena#reset()}
 * for the whole arena, the end of a {@link dev.arenaguard.runtime.Phase} for what was allocated
 * inside it. Every segment is a slice of a chunk, re-scoped onto a short-lived JDK scope for its
 * epoch (the time from one reset or phase start to the next); ending the epoch closes that scope,
 * so every later access to the segment throws {@link java.lang.IllegalStateException} at once,
 * before the memory can be handed out again.
 *
 * <h2>Watching arenas</h2>
 *
 * JDK Flight Recorder events {@code dev.arenaguard.*} (category "arena-guard") record creation,
 * reset, phase end, close, retention warnings, refused allocations and leaks, at no cost unless a
 * recording runs; {@link dev.arenaguard.runtime.ArenaMXBeans} puts the arena tree and its
 * statistics in JMX; {@link dev.arenaguard.runtime.ArenaListener}s hear every event, for metrics
 * libraries and test extensions.
 *
 * <h2>Configuration</h2>
 *
 * Every option has a {@link dev.arenaguard.runtime.BumpArena.Builder} method; these system
 * properties set the defaults that builders start from:
 *
 * <table class="striped">
 *   <caption>System properties</caption>
 *   <thead><tr><th>property</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code arenaguard.debug}</td><td>{@code false}</td>
 *       <td>record epoch ends and (sampled) allocation sites, see {@link
 *       dev.arenaguard.runtime.ArenaDebug}</td></tr>
 *   <tr><td>{@code arenaguard.debug.sampleRate}</td><td>{@code 256}</td>
 *       <td>in debug mode, record the stacks of one epoch (opened, ended) and of one allocation in
 *       this many (1 = every one)</td></tr>
 *   <tr><td>{@code arenaguard.watchdog}</td><td>{@code log}</td>
 *       <td>retention watchdog policy: {@code off}, {@code log}, {@code jfr} or {@code throw}
 *       ({@link dev.arenaguard.runtime.WatchdogPolicy})</td></tr>
 *   <tr><td>{@code arenaguard.watchdog.maxAllocations}</td><td>{@code 1000000}</td>
 *       <td>allocations outside any phase, without a reset, before the watchdog reports</td></tr>
 *   <tr><td>{@code arenaguard.watchdog.maxAge}</td><td>{@code PT10M}</td>
 *       <td>time (ISO-8601 duration) an arena may keep growing without a reset</td></tr>
 *   <tr><td>{@code arenaguard.leakDetection}</td><td>{@code true}</td>
 *       <td>report root arenas that become unreachable without {@code close()}</td></tr>
 *   <tr><td>{@code arenaguard.jmx}</td><td>{@code false}</td>
 *       <td>register the {@link dev.arenaguard.runtime.ArenasMXBean} when the first arena is
 *       created ({@link dev.arenaguard.runtime.ArenaMXBeans})</td></tr>
 *   </tbody>
 * </table>
 */
package dev.arenaguard.runtime;
