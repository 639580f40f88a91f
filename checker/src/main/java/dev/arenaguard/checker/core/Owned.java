package dev.arenaguard.checker.core;

import com.google.common.collect.ImmutableSet;
import com.sun.source.tree.Tree;
import org.checkerframework.errorprone.dataflow.analysis.AbstractValue;

/**
 * The dataflow value of the ownership analysis: which arena creations (the creating expressions,
 * {@code Arena.ofConfined()}, {@code pool.acquire()}) an expression or arena variable may denote.
 */
record Owned(ImmutableSet<Tree> creations) implements AbstractValue<Owned> {

  static final Owned NONE = new Owned(ImmutableSet.of());

  static Owned of(Tree creation) {
    return new Owned(ImmutableSet.of(creation));
  }

  boolean isEmpty() {
    return creations.isEmpty();
  }

  Owned union(Owned other) {
    if (other.creations.isEmpty() || creations.containsAll(other.creations)) {
      return this;
    }
    if (creations.isEmpty()) {
      return other;
    }
    return new Owned(ImmutableSet.<Tree>builder().addAll(creations).addAll(other.creations).build());
  }

  @Override
  public Owned leastUpperBound(Owned other) {
    return union(other);
  }
}
