package dev.arenaguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated value outlives every arena: it must not be (or hold) memory whose arena can
 * close while the value is still reachable.
 *
 * <p>Only heap objects and memory from {@code Arena.global()} satisfy it. Memory from
 * {@code Arena.ofAuto()} does not: it stays valid only while Java code references it, and a
 * value that must outlive arenas is typically kept where the garbage collector cannot see it
 * (native code).
 *
 * <ul>
 *   <li><b>Parameter</b>: the method keeps the argument beyond the call (in a field, a static,
 *       a collection, a lambda that outlives the call, another thread, or native code). Callers
 *       may not pass arena-backed values. Without this annotation a parameter is borrowed, and a
 *       method that keeps a possibly arena-backed parameter is reported.
 *       <pre>{@code
 * void register(@OutlivesArena MemorySegment callback) {
 *   callbacks.add(callback);
 * }
 * }</pre>
 *   <li><b>Method</b>: the result outlives every arena; the method may not return arena-backed
 *       values, and an override may not weaken this to {@link ArenaScoped}.
 *   <li><b>Field</b>: values stored in the field must outlive every arena.
 *   <li><b>Class</b>: instances are long-lived owners (singletons, registries, index state).
 *       Arena-backed values may not be stored in them, and an arena they hold is reported when
 *       code that runs repeatedly allocates into it without a phase that resets it.
 * </ul>
 *
 * <p>Not allowed (reported by the checker as {@code ArenaAnnotationMisuse}): on a local
 * variable, together with {@link ArenaScoped} on the same element, and on a parameter of an
 * override whose overridden method borrows that parameter. (The target includes local variables
 * only so that the checker, not javac, can explain that misuse.)
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({
  ElementType.TYPE,
  ElementType.FIELD,
  ElementType.PARAMETER,
  ElementType.METHOD,
  ElementType.LOCAL_VARIABLE
})
public @interface OutlivesArena {}
