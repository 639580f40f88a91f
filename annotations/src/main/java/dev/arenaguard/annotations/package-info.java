/**
 * Lifetimes of arena memory, stated in code.
 *
 * <p>An <em>arena</em> hands out memory whose lifetime it controls and frees all of it at once
 * when its phase ends ({@code close()} or {@code reset()}); every {@code java.lang.foreign.Arena}
 * is one. A value is <em>arena-backed</em> when it is memory from an arena, is derived from such
 * memory ({@code asSlice}, {@code asByteBuffer}, ...), or is an object, array, collection or
 * lambda holding such memory.
 *
 * <p>Two annotations state how long values live, and the arena-guard checker holds each method to
 * its own signature, as Rust holds each function to its lifetimes:
 *
 * <ul>
 *   <li>{@link dev.arenaguard.annotations.ArenaScoped @ArenaScoped}: this value lives no longer
 *       than the arena it came from. On a method, the result belongs to the arena the caller
 *       passed (an argument or the receiver's own arena).
 *   <li>{@link dev.arenaguard.annotations.OutlivesArena @OutlivesArena}: this value must outlive
 *       every arena. On a parameter, the method keeps the argument beyond the call, so only
 *       heap objects and {@code Arena.global()} memory may be passed.
 * </ul>
 *
 * <p>Without annotations, parameters <em>borrow</em>: the argument may be arena-backed and the
 * method may use it during the call but not keep it. A method that returns memory it allocated
 * from a parameter arena, or from its receiver's arena, must say so with {@code @ArenaScoped}.
 */
package dev.arenaguard.annotations;
