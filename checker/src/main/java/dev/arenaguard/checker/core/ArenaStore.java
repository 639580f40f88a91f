package dev.arenaguard.checker.core;

import com.google.common.collect.ImmutableMap;
import java.util.HashMap;
import java.util.Map;
import javax.lang.model.element.VariableElement;
import org.checkerframework.errorprone.dataflow.analysis.Store;
import org.checkerframework.errorprone.dataflow.cfg.visualize.CFGVisualizer;
import org.checkerframework.errorprone.dataflow.expression.JavaExpression;

/**
 * The dataflow store: the {@link ArenaValue} of each local variable at a program point. A local
 * missing from the store is not arena-backed there.
 */
public record ArenaStore(ImmutableMap<VariableElement, ArenaValue> locals)
    implements Store<ArenaStore> {

  public static final ArenaStore EMPTY = new ArenaStore(ImmutableMap.of());

  public ArenaValue valueOf(VariableElement local) {
    return locals.getOrDefault(local, ArenaValue.NONE);
  }

  /** Whether the store has a value for {@code local} (it was assigned in this dataflow graph). */
  public boolean tracks(VariableElement local) {
    return locals.containsKey(local);
  }

  /** This store with {@code local} set to {@code value} (a strong update, as for an assignment). */
  public ArenaStore with(VariableElement local, ArenaValue value) {
    if (value.equals(locals.get(local))) {
      return this;
    }
    Map<VariableElement, ArenaValue> copy = new HashMap<>(locals);
    copy.put(local, value);
    return new ArenaStore(ImmutableMap.copyOf(copy));
  }

  /** This store with {@code value} added to what {@code local} holds (a container took it in). */
  public ArenaStore adding(VariableElement local, ArenaValue value) {
    return value.isBacked() ? with(local, valueOf(local).union(value)) : this;
  }

  @Override
  public ArenaStore copy() {
    return this;
  }

  @Override
  public ArenaStore leastUpperBound(ArenaStore other) {
    if (other.locals.isEmpty()) {
      return this;
    }
    Map<VariableElement, ArenaValue> joined = new HashMap<>(locals);
    other.locals.forEach((k, v) -> joined.merge(k, v, ArenaValue::union));
    return new ArenaStore(ImmutableMap.copyOf(joined));
  }

  @Override
  public ArenaStore widenedUpperBound(ArenaStore previous) {
    return leastUpperBound(previous);
  }

  @Override
  public boolean canAlias(JavaExpression a, JavaExpression b) {
    return true;
  }

  @Override
  public String visualize(CFGVisualizer<?, ArenaStore, ?> viz) {
    return locals.toString();
  }
}
