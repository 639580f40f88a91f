package dev.arenaguard.checker.core;

/**
 * Memory that an {@link ArenaEnd} freed while a local still held it.
 *
 * @param end where the memory was freed
 * @param what the memory in the user's words, e.g. {@code memory of arena 'a'}
 */
public record Freed(ArenaEnd end, String what) {}
