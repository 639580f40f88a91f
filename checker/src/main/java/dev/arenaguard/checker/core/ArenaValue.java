package dev.arenaguard.checker.core;

import com.google.common.collect.ImmutableSet;
import java.util.function.Predicate;
import org.checkerframework.errorprone.dataflow.analysis.AbstractValue;

/**
 * The dataflow value of an expression or local: the set of arenas behind it. Empty means not
 * arena-backed (a heap value, a copy, an unknown call result). The join of two values is their
 * union: a value is arena-backed on a path if it is on any path ("may" analysis).
 */
public record ArenaValue(ImmutableSet<Backing> backings) implements AbstractValue<ArenaValue> {

  /** Not arena-backed. */
  public static final ArenaValue NONE = new ArenaValue(ImmutableSet.of());

  public static ArenaValue of(Backing backing) {
    return new ArenaValue(ImmutableSet.of(backing));
  }

  public boolean isBacked() {
    return !backings.isEmpty();
  }

  public ArenaValue union(ArenaValue other) {
    if (other.backings.isEmpty() || other.equals(this)) {
      return this;
    }
    if (backings.isEmpty()) {
      return other;
    }
    return new ArenaValue(
        ImmutableSet.<Backing>builder().addAll(backings).addAll(other.backings).build());
  }

  /** The backings that satisfy {@code filter}. */
  public ArenaValue filter(Predicate<Backing> filter) {
    ImmutableSet<Backing> kept =
        backings.stream().filter(filter).collect(ImmutableSet.toImmutableSet());
    return kept.size() == backings.size() ? this : new ArenaValue(kept);
  }

  /** The backings that can dangle when Java code keeps the value too long. */
  public ArenaValue bounded() {
    return filter(b -> b.scope().isBounded());
  }

  @Override
  public ArenaValue leastUpperBound(ArenaValue other) {
    return union(other);
  }
}
