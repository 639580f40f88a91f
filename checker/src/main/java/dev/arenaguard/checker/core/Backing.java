package dev.arenaguard.checker.core;

import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Symbol;
import org.jspecify.annotations.Nullable;

/**
 * One arena behind a value: which arena, its kind, and the scope in which the value is valid.
 * A value may have several backings (a list holding segments of two arenas, a variable assigned
 * in two branches).
 *
 * @param scope how long the value may live
 * @param arenaKind the arena's kind, {@link ArenaKind#UNKNOWN} when not visible
 * @param origin what the value is, in the user's words, e.g. {@code memory of arena 'a'} or
 *     {@code parameter 'buf'}
 * @param arena the arena variable, or the parameter for {@link ScopeKind#BORROWED}; may be null
 * @param end the tree at which the scope ends: the try-with-resources statement for {@link
 *     ScopeKind#BLOCK}, the {@code close()}/{@code reset()} call for {@link
 *     ScopeKind#CLOSED_IN_METHOD}; null for other scopes
 * @param declaredIn the method, lambda or initializer in which the arena (or parameter) is
 *     declared; null when it is a field or not visible
 * @param copyable whether the value is plain data that can be copied out (an allocation or a
 *     view of one), as opposed to a symbol, an upcall stub or a library
 */
public record Backing(
    ScopeKind scope,
    ArenaKind arenaKind,
    String origin,
    @Nullable Symbol arena,
    @Nullable Tree end,
    @Nullable Tree declaredIn,
    boolean copyable) {

  /** The same backing, marked as not plain data. */
  public Backing notCopyable() {
    return copyable ? new Backing(scope, arenaKind, origin, arena, end, declaredIn, false) : this;
  }
}
