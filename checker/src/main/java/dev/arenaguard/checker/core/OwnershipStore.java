package dev.arenaguard.checker.core;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.sun.source.tree.Tree;
import java.util.HashMap;
import java.util.Map;
import javax.lang.model.element.VariableElement;
import org.checkerframework.errorprone.dataflow.analysis.Store;
import org.checkerframework.errorprone.dataflow.cfg.visualize.CFGVisualizer;
import org.checkerframework.errorprone.dataflow.expression.JavaExpression;

/**
 * The dataflow store of the ownership analysis ({@link OwnershipTransfer}): which arenas created
 * in the method may still be open and owned by it at a program point, and which creations each
 * arena variable may denote. A "may" analysis: an arena open on one path into a point is open
 * there.
 *
 * @param pointsTo arena variables and the creations they may denote
 * @param open creations that may be open and still owned by this method
 * @param thrownBy for an open creation, the calls or {@code throw}s whose exception may have left
 *     it open on the way here (the witness of a leak on an exceptional path)
 */
record OwnershipStore(
    ImmutableMap<VariableElement, Owned> pointsTo,
    ImmutableSet<Tree> open,
    ImmutableMap<Tree, ImmutableSet<Tree>> thrownBy)
    implements Store<OwnershipStore> {

  static final OwnershipStore EMPTY = new OwnershipStore(ImmutableMap.of(), ImmutableSet.of(), ImmutableMap.of());

  Owned valueOf(VariableElement variable) {
    return pointsTo.getOrDefault(variable, Owned.NONE);
  }

  /** A new arena from {@code creation} is open. */
  OwnershipStore created(Tree creation) {
    if (open.contains(creation) && !thrownBy.containsKey(creation)) {
      return this;
    }
    return new OwnershipStore(
        pointsTo,
        ImmutableSet.<Tree>builder().addAll(open).add(creation).build(),
        without(thrownBy, ImmutableSet.of(creation)));
  }

  /** The arenas {@code released} are closed, returned or handed to a new owner. */
  OwnershipStore released(Owned released) {
    if (released.isEmpty()) {
      return this;
    }
    ImmutableSet<Tree> stillOpen =
        open.stream().filter(c -> !released.creations().contains(c)).collect(ImmutableSet.toImmutableSet());
    return stillOpen.size() == open.size()
        ? this
        : new OwnershipStore(pointsTo, stillOpen, without(thrownBy, released.creations()));
  }

  /** {@code variable} now denotes {@code value}. */
  OwnershipStore pointing(VariableElement variable, Owned value) {
    if (value.equals(pointsTo.get(variable)) || (value.isEmpty() && !pointsTo.containsKey(variable))) {
      return this;
    }
    Map<VariableElement, Owned> copy = new HashMap<>(pointsTo);
    if (value.isEmpty()) {
      copy.remove(variable);
    } else {
      copy.put(variable, value);
    }
    return new OwnershipStore(ImmutableMap.copyOf(copy), open, thrownBy);
  }

  /** This store on the exceptional path out of {@code thrower}: what is open stays open because of it. */
  OwnershipStore thrownAt(Tree thrower) {
    if (open.isEmpty()) {
      return this;
    }
    Map<Tree, ImmutableSet<Tree>> copy = new HashMap<>(thrownBy);
    for (Tree creation : open) {
      copy.put(creation, ImmutableSet.of(thrower));
    }
    return new OwnershipStore(pointsTo, open, ImmutableMap.copyOf(copy));
  }

  private static ImmutableMap<Tree, ImmutableSet<Tree>> without(
      ImmutableMap<Tree, ImmutableSet<Tree>> map, ImmutableSet<Tree> keys) {
    if (keys.stream().noneMatch(map::containsKey)) {
      return map;
    }
    Map<Tree, ImmutableSet<Tree>> copy = new HashMap<>(map);
    keys.forEach(copy::remove);
    return ImmutableMap.copyOf(copy);
  }

  @Override
  public OwnershipStore copy() {
    return this;
  }

  @Override
  public OwnershipStore leastUpperBound(OwnershipStore other) {
    if (other.equals(this)) {
      return this;
    }
    Map<VariableElement, Owned> points = new HashMap<>(pointsTo);
    other.pointsTo.forEach((k, v) -> points.merge(k, v, Owned::union));
    Map<Tree, ImmutableSet<Tree>> thrown = new HashMap<>(thrownBy);
    other.thrownBy.forEach(
        (k, v) -> thrown.merge(k, v, (a, b) -> ImmutableSet.<Tree>builder().addAll(a).addAll(b).build()));
    return new OwnershipStore(
        ImmutableMap.copyOf(points),
        ImmutableSet.<Tree>builder().addAll(open).addAll(other.open).build(),
        ImmutableMap.copyOf(thrown));
  }

  @Override
  public OwnershipStore widenedUpperBound(OwnershipStore previous) {
    return leastUpperBound(previous);
  }

  @Override
  public boolean canAlias(JavaExpression a, JavaExpression b) {
    return true;
  }

  @Override
  public String visualize(CFGVisualizer<?, OwnershipStore, ?> viz) {
    return toString();
  }
}
