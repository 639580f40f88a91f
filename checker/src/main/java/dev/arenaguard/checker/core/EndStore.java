package dev.arenaguard.checker.core;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.VariableElement;
import org.checkerframework.errorprone.dataflow.analysis.Store;
import org.checkerframework.errorprone.dataflow.cfg.visualize.CFGVisualizer;
import org.checkerframework.errorprone.dataflow.expression.JavaExpression;
import org.jspecify.annotations.Nullable;

/**
 * The dataflow store of {@link EndTransfer}: at a program point, which locals may hold memory an
 * {@link ArenaEnd} freed, which may hold memory still alive, and which arenas may be closed or
 * reset. A "may" analysis: the join of two paths is their union.
 *
 * @param dead locals whose value may have been freed, with what freed it
 * @param live locals that may hold a value not freed (assigned, and not freed since)
 * @param ended arena variables (locals, fields of {@code this}) that may have been closed or reset
 */
record EndStore(
    ImmutableMap<VariableElement, ImmutableSet<Freed>> dead,
    ImmutableSet<VariableElement> live,
    ImmutableMap<VariableElement, ImmutableSet<ArenaEnd>> ended)
    implements Store<EndStore> {

  static final EndStore EMPTY = new EndStore(ImmutableMap.of(), ImmutableSet.of(), ImmutableMap.of());

  /** What a read of {@code local} sees. */
  FreedUse readOf(VariableElement local) {
    ImmutableSet<Freed> freed = dead.getOrDefault(local, ImmutableSet.of());
    return freed.isEmpty() ? FreedUse.NONE : new FreedUse(freed, !live.contains(local));
  }

  /** {@code local} was assigned a fresh value (or a fresh arena). */
  EndStore assigned(VariableElement local) {
    return copying(local, null);
  }

  /** The arena variable {@code local} was assigned the arena variable {@code source}: it is that arena. */
  EndStore aliased(VariableElement local, VariableElement source) {
    return copying(local, source);
  }

  private EndStore copying(VariableElement local, @Nullable VariableElement source) {
    Map<VariableElement, ImmutableSet<Freed>> newDead = new HashMap<>(dead);
    Set<VariableElement> newLive = new HashSet<>(live);
    Map<VariableElement, ImmutableSet<ArenaEnd>> newEnded = new HashMap<>(ended);
    newDead.remove(local);
    newEnded.remove(local);
    newLive.add(local);
    if (source != null) {
      if (dead.containsKey(source)) {
        newDead.put(local, dead.get(source));
      }
      if (ended.containsKey(source)) {
        newEnded.put(local, ended.get(source));
      }
      if (!live.contains(source)) {
        newLive.remove(local);
      }
    }
    return new EndStore(ImmutableMap.copyOf(newDead), ImmutableSet.copyOf(newLive), ImmutableMap.copyOf(newEnded));
  }

  /** {@code local} was assigned memory that {@code freed} describes (derived from freed memory). */
  EndStore assignedFreed(VariableElement local, FreedUse freed) {
    EndStore store = assigned(local);
    Map<VariableElement, ImmutableSet<Freed>> newDead = new HashMap<>(store.dead);
    newDead.put(local, freed.freed());
    Set<VariableElement> newLive = new HashSet<>(store.live);
    if (freed.onEveryPath()) {
      newLive.remove(local);
    }
    return new EndStore(ImmutableMap.copyOf(newDead), ImmutableSet.copyOf(newLive), store.ended);
  }

  /** The local container {@code local} took in memory that {@code freed} describes. */
  EndStore holding(VariableElement local, FreedUse freed) {
    Map<VariableElement, ImmutableSet<Freed>> newDead = new HashMap<>(dead);
    newDead.merge(local, freed.freed(), EndStore::union);
    return new EndStore(ImmutableMap.copyOf(newDead), live, ended);
  }

  /** The end {@code end} of the arenas {@code arenas} happened, freeing what {@code kills} hold. */
  EndStore ending(ArenaEnd end, Set<? extends VariableElement> arenas, Map<VariableElement, ImmutableSet<Freed>> kills) {
    Map<VariableElement, ImmutableSet<Freed>> newDead = new HashMap<>(dead);
    Set<VariableElement> newLive = new HashSet<>(live);
    kills.forEach(
        (local, freed) -> {
          newDead.merge(local, freed, EndStore::union);
          newLive.remove(local);
        });
    Map<VariableElement, ImmutableSet<ArenaEnd>> newEnded = new HashMap<>(ended);
    if (end.kind() != ArenaEnd.Kind.PHASE_END) {
      for (VariableElement arena : arenas) {
        newEnded.merge(arena, ImmutableSet.of(end), EndStore::union);
      }
    }
    return new EndStore(ImmutableMap.copyOf(newDead), ImmutableSet.copyOf(newLive), ImmutableMap.copyOf(newEnded));
  }

  private static <T> ImmutableSet<T> union(ImmutableSet<T> a, ImmutableSet<T> b) {
    return a.containsAll(b) ? a : ImmutableSet.<T>builder().addAll(a).addAll(b).build();
  }

  private static <K, T> ImmutableMap<K, ImmutableSet<T>> union(
      ImmutableMap<K, ImmutableSet<T>> a, ImmutableMap<K, ImmutableSet<T>> b) {
    if (b.isEmpty() || a.equals(b)) {
      return a;
    }
    Map<K, ImmutableSet<T>> joined = new HashMap<>(a);
    b.forEach((k, v) -> joined.merge(k, v, EndStore::union));
    return ImmutableMap.copyOf(joined);
  }

  @Override
  public EndStore copy() {
    return this;
  }

  @Override
  public EndStore leastUpperBound(EndStore other) {
    if (other.equals(this)) {
      return this;
    }
    return new EndStore(
        union(dead, other.dead),
        live.containsAll(other.live) ? live : ImmutableSet.<VariableElement>builder().addAll(live).addAll(other.live).build(),
        union(ended, other.ended));
  }

  @Override
  public EndStore widenedUpperBound(EndStore previous) {
    return leastUpperBound(previous);
  }

  @Override
  public boolean canAlias(JavaExpression a, JavaExpression b) {
    return true;
  }

  @Override
  public String visualize(CFGVisualizer<?, EndStore, ?> viz) {
    return toString();
  }
}
