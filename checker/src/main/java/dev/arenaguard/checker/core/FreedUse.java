package dev.arenaguard.checker.core;

import com.google.common.collect.ImmutableSet;
import org.checkerframework.errorprone.dataflow.analysis.AbstractValue;

/**
 * What a read of a local sees of arena ends: the ends that may have freed the memory it holds
 * (or, for an arena variable, closed the arena), and whether that is so on every path to the read.
 * Empty when the memory is alive on every path.
 */
public record FreedUse(ImmutableSet<Freed> freed, boolean onEveryPath) implements AbstractValue<FreedUse> {

  /** Nothing freed. */
  public static final FreedUse NONE = new FreedUse(ImmutableSet.of(), false);

  public boolean isFreed() {
    return !freed.isEmpty();
  }

  @Override
  public FreedUse leastUpperBound(FreedUse other) {
    if (other.equals(this)) {
      return this;
    }
    return new FreedUse(
        ImmutableSet.<Freed>builder().addAll(freed).addAll(other.freed).build(),
        onEveryPath && other.onEveryPath);
  }
}
