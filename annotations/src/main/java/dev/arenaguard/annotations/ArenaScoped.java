package dev.arenaguard.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated value lives no longer than the arena it came from.
 *
 * <p>What it means depends on where it stands:
 *
 * <ul>
 *   <li><b>Method</b> (returning a reference type): the result is arena-backed and has the scope
 *       of the arena the call was given, either an argument arena or the receiver's own arena.
 *       Callers treat the result as scoped to the arena they passed: it may not be kept past that
 *       arena's close. Required on a method that returns memory it allocated from a parameter
 *       arena or from the receiver's arena; recommended, not required, on a method that returns a
 *       slice of a borrowed parameter segment.
 *       <pre>{@code
 * @ArenaScoped
 * MemorySegment encode(String s, Arena arena) {
 *   return arena.allocateFrom(s);
 * }
 * }</pre>
 *   <li><b>Parameter</b>: the argument may be arena-backed and is borrowed for the call (the
 *       default for every parameter; the annotation documents it).
 *   <li><b>Instance field</b>: the field holds arena-backed values; storing one there is allowed,
 *       and the object holding the field becomes arena-backed itself, so it may not outlive the
 *       arena either.
 *   <li><b>Local variable</b>: the local holds arena-backed values (documentation; the checker
 *       infers this).
 *   <li><b>Class or record</b>: every instance is arena-backed, like a Rust struct with a
 *       lifetime parameter; instances are subject to the same rules as the memory they hold.
 * </ul>
 *
 * <p>Not allowed (reported by the checker as {@code ArenaAnnotationMisuse}): on a static field
 * (a static outlives every arena), on a primitive, together with {@link OutlivesArena} on the
 * same element, and on an override whose overridden method promises a long-lived result.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({
  ElementType.METHOD,
  ElementType.PARAMETER,
  ElementType.FIELD,
  ElementType.LOCAL_VARIABLE,
  ElementType.TYPE
})
public @interface ArenaScoped {}
