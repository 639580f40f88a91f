package dev.arenaguard.checker.core;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.sun.tools.javac.code.Type;
import dev.arenaguard.checker.model.MethodModel;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.lang.model.element.VariableElement;
import org.checkerframework.errorprone.dataflow.analysis.ForwardTransferFunction;
import org.checkerframework.errorprone.dataflow.analysis.RegularTransferResult;
import org.checkerframework.errorprone.dataflow.analysis.TransferInput;
import org.checkerframework.errorprone.dataflow.analysis.TransferResult;
import org.checkerframework.errorprone.dataflow.cfg.UnderlyingAST;
import org.checkerframework.errorprone.dataflow.cfg.node.AbstractNodeVisitor;
import org.checkerframework.errorprone.dataflow.cfg.node.ArrayAccessNode;
import org.checkerframework.errorprone.dataflow.cfg.node.AssignmentNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ExplicitThisNode;
import org.checkerframework.errorprone.dataflow.cfg.node.FieldAccessNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ImplicitThisNode;
import org.checkerframework.errorprone.dataflow.cfg.node.LocalVariableNode;
import org.checkerframework.errorprone.dataflow.cfg.node.MethodAccessNode;
import org.checkerframework.errorprone.dataflow.cfg.node.MethodInvocationNode;
import org.checkerframework.errorprone.dataflow.cfg.node.Node;
import org.jspecify.annotations.Nullable;

/**
 * The transfer function of the use-after-close analysis: an {@link ArenaEnd} frees the memory
 * held by the locals whose value (as {@link ArenaTransfer} computed it just before the end) is
 * backed by the ending arena, and closes the arena variables; assigning a local gives it a fresh
 * value. The value of a read of a local is what it sees freed ({@link FreedUse}).
 *
 * <p>Which locals an end frees is computed once per end ({@link Event}) by {@link ArenaLifecycle}
 * from the values' {@link Backing}s: the ending arena, its aliases and its child arenas (closing or
 * resetting a parent closes or resets its children), or, for a phase, the memory allocated inside
 * the phase.
 *
 * <p>Freed memory stays freed through derivations: a slice of a freed segment, an element read
 * from a freed list, a record built from freed memory (an expression whose value is arena-backed
 * is as freed as its operands); assigning it to a local, or putting it into a local container,
 * makes that local freed too.
 */
final class EndTransfer
    extends AbstractNodeVisitor<TransferResult<FreedUse, EndStore>, TransferInput<FreedUse, EndStore>>
    implements ForwardTransferFunction<FreedUse, EndStore> {

  /**
   * An end at one node of the graph.
   *
   * @param end the end
   * @param arenas the arena variables it ends (the arena, its aliases and children)
   * @param kills the locals whose memory it frees, arena variables it closes included
   */
  record Event(
      ArenaEnd end,
      ImmutableSet<VariableElement> arenas,
      ImmutableMap<VariableElement, ImmutableSet<Freed>> kills) {}

  private final Map<Node, Event> events;
  private final ArenaAnalysis analysis;
  private final Predicate<Node> backed;

  /**
   * @param events the ends, by node
   * @param backed whether a node's value is arena-backed (as {@link ArenaTransfer} computed it)
   */
  EndTransfer(Map<Node, Event> events, ArenaAnalysis analysis, Predicate<Node> backed) {
    this.events = events;
    this.analysis = analysis;
    this.backed = backed;
  }

  private static FreedUse value(TransferInput<FreedUse, EndStore> in, @Nullable Node node) {
    if (node == null || node.isLValue()) {
      return FreedUse.NONE; // the resource variable that a synthetic close() of try-with-resources reads
    }
    FreedUse value = in.getValueOfSubNode(node);
    return value == null ? FreedUse.NONE : value;
  }

  /** A derived value (arena-backed itself) is as freed as what it is derived from. */
  private FreedUse derived(Node node, TransferInput<FreedUse, EndStore> in) {
    if (!backed.test(node)) {
      return FreedUse.NONE;
    }
    FreedUse value = FreedUse.NONE;
    for (Node operand : node.getOperands()) {
      FreedUse freed = value(in, operand);
      value = value.isFreed() ? (freed.isFreed() ? value.leastUpperBound(freed) : value) : freed;
    }
    return value;
  }

  @Override
  public EndStore initialStore(UnderlyingAST ast, @Nullable List<LocalVariableNode> parameters) {
    return EndStore.EMPTY;
  }

  @Override
  public TransferResult<FreedUse, EndStore> visitNode(Node node, TransferInput<FreedUse, EndStore> in) {
    return new RegularTransferResult<>(derived(node, in), in.getRegularStore());
  }

  @Override
  public TransferResult<FreedUse, EndStore> visitMethodAccess(
      MethodAccessNode node, TransferInput<FreedUse, EndStore> in) {
    return new RegularTransferResult<>(value(in, node.getReceiver()), in.getRegularStore());
  }

  @Override
  public TransferResult<FreedUse, EndStore> visitLocalVariable(
      LocalVariableNode node, TransferInput<FreedUse, EndStore> in) {
    EndStore store = in.getRegularStore();
    FreedUse value = node.isLValue() ? FreedUse.NONE : store.readOf(node.getElement());
    return new RegularTransferResult<>(value, store);
  }

  @Override
  public TransferResult<FreedUse, EndStore> visitFieldAccess(
      FieldAccessNode node, TransferInput<FreedUse, EndStore> in) {
    EndStore store = in.getRegularStore();
    if (node.isLValue()) {
      return new RegularTransferResult<>(FreedUse.NONE, store);
    }
    FreedUse value = onThis(node) ? store.readOf(node.getElement()) : derived(node, in);
    return new RegularTransferResult<>(value, store);
  }

  @Override
  public TransferResult<FreedUse, EndStore> visitAssignment(
      AssignmentNode node, TransferInput<FreedUse, EndStore> in) {
    EndStore store = in.getRegularStore();
    FreedUse value = value(in, node.getExpression());
    VariableElement target = assigned(node.getTarget());
    if (target != null) {
      // An arena variable assigned another arena variable is that arena: closed if that one is.
      VariableElement source = assigned(node.getExpression());
      boolean alias =
          source != null && analysis.types().isArena((Type) node.getTarget().getType(), analysis.state());
      store = alias ? store.aliased(target, source) : store.assigned(target);
      if (!alias && value.isFreed()) {
        store = store.assignedFreed(target, value);
      }
    } else if (holder(node.getTarget()) instanceof LocalVariableNode container && value.isFreed()) {
      store = store.holding(container.getElement(), value); // arr[i] = freed, holder.f = freed
    }
    return new RegularTransferResult<>(value, store);
  }

  @Override
  public TransferResult<FreedUse, EndStore> visitMethodInvocation(
      MethodInvocationNode node, TransferInput<FreedUse, EndStore> in) {
    EndStore store = in.getRegularStore();
    Event event = events.get(node);
    if (event == null) {
      MethodSymbol method = (MethodSymbol) node.getTarget().getMethod();
      MethodModel model = analysis.model(method);
      Node receiver = method.isStatic() ? null : node.getTarget().getReceiver();
      if (receiver instanceof LocalVariableNode container) {
        // list.add(freed): the local container holds freed memory.
        List<Node> arguments = node.getArguments();
        for (int i = 0; i < arguments.size(); i++) {
          FreedUse argument = value(in, arguments.get(i));
          if (argument.isFreed()
              && MethodModel.has(model.storesIntoReceiverParams(), i, method.getParameters().size(), method.isVarArgs())) {
            store = store.holding(container.getElement(), argument);
          }
        }
      }
      return new RegularTransferResult<>(derived(node, in), store);
    }
    // If close() itself throws, the exceptional paths keep the store before it (the default):
    // a catch block after a failed close may still use the memory.
    return new RegularTransferResult<>(FreedUse.NONE, store.ending(event.end(), event.arenas(), event.kills()));
  }

  /** The container written by an array-element or field store ({@code arr[i] = v}, {@code h.f = v}). */
  private static @Nullable Node holder(Node target) {
    if (target instanceof ArrayAccessNode element) {
      return element.getArray();
    }
    return target instanceof FieldAccessNode field && !onThis(field) ? field.getReceiver() : null;
  }

  /** The local, or field of {@code this}, that {@code node} denotes; null for anything else. */
  /** The local or field-of-this variable {@code node} denotes; null for anything else. */
  static @Nullable VariableElement assigned(@Nullable Node node) {
    if (node instanceof LocalVariableNode local) {
      return local.getElement();
    }
    if (node instanceof FieldAccessNode field && onThis(field)) {
      return field.getElement();
    }
    return null;
  }

  private static boolean onThis(FieldAccessNode field) {
    return field.getReceiver() instanceof ImplicitThisNode || field.getReceiver() instanceof ExplicitThisNode;
  }
}
