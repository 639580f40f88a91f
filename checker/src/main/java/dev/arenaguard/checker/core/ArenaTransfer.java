package dev.arenaguard.checker.core;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.arenaguard.checker.model.MethodModel;
import java.util.List;
import javax.lang.model.element.VariableElement;
import org.checkerframework.errorprone.dataflow.analysis.ForwardTransferFunction;
import org.checkerframework.errorprone.dataflow.analysis.RegularTransferResult;
import org.checkerframework.errorprone.dataflow.analysis.TransferInput;
import org.checkerframework.errorprone.dataflow.analysis.TransferResult;
import org.checkerframework.errorprone.dataflow.cfg.UnderlyingAST;
import org.checkerframework.errorprone.dataflow.cfg.node.AbstractNodeVisitor;
import org.checkerframework.errorprone.dataflow.cfg.node.ArrayAccessNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ArrayCreationNode;
import org.checkerframework.errorprone.dataflow.cfg.node.AssignmentNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ExplicitThisNode;
import org.checkerframework.errorprone.dataflow.cfg.node.FieldAccessNode;
import org.checkerframework.errorprone.dataflow.cfg.node.FunctionalInterfaceNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ImplicitThisNode;
import org.checkerframework.errorprone.dataflow.cfg.node.LocalVariableNode;
import org.checkerframework.errorprone.dataflow.cfg.node.MethodInvocationNode;
import org.checkerframework.errorprone.dataflow.cfg.node.Node;
import org.checkerframework.errorprone.dataflow.cfg.node.ObjectCreationNode;
import org.checkerframework.errorprone.dataflow.cfg.node.SwitchExpressionNode;
import org.checkerframework.errorprone.dataflow.cfg.node.TernaryExpressionNode;
import org.checkerframework.errorprone.dataflow.cfg.node.TypeCastNode;
import org.jspecify.annotations.Nullable;

/**
 * The dataflow transfer function: how each node changes which arenas back which locals, and
 * which arenas back each expression's value.
 *
 * <ul>
 *   <li>Parameters that may carry arena memory start {@link ScopeKind#BORROWED}.
 *   <li>A call's result is arena-backed only by a model or an {@code @ArenaScoped} declaration
 *       (SPEC §2.0.2); {@code @Derives} passes the receiver's or an argument's arenas through.
 *   <li>Records, {@code @ArenaScoped} classes, arrays, lambdas and anonymous classes hold the
 *       arenas of what they were built from or capture (SPEC §2.0.7).
 *   <li>Putting a value into a local container ({@code list.add(v)}, {@code arr[i] = v},
 *       {@code holder.f = v}) adds its arenas to the local.
 * </ul>
 */
final class ArenaTransfer
    extends AbstractNodeVisitor<
        TransferResult<ArenaValue, ArenaStore>, TransferInput<ArenaValue, ArenaStore>>
    implements ForwardTransferFunction<ArenaValue, ArenaStore> {

  private final ArenaAnalysis analysis;
  private final VisitorState state;
  private final UnderlyingAST ast;
  private final TreePath root;

  /** The lambda, anonymous or local class whose captured locals the analysed code reads, if any. */
  private final @Nullable Tree capturing;

  ArenaTransfer(ArenaAnalysis analysis, UnderlyingAST ast, TreePath root) {
    this.analysis = analysis;
    this.state = analysis.state();
    this.ast = ast;
    this.root = root;
    this.capturing = ArenaAnalysis.capturingTree(root);
  }

  @Override
  public ArenaStore initialStore(UnderlyingAST underlyingAST, List<LocalVariableNode> parameters) {
    ArenaStore store = ArenaStore.EMPTY;
    if (parameters == null) {
      return store;
    }
    Tree declaredIn = root.getLeaf();
    for (LocalVariableNode parameter : parameters) {
      Symbol symbol = (Symbol) parameter.getElement();
      if (analysis.types().isPossiblyArenaBacked(symbol, state) && !ArenaTypes.hasOutlivesArena(symbol)) {
        store =
            store.with(
                parameter.getElement(),
                ArenaValue.of(
                    new Backing(
                        ScopeKind.BORROWED,
                        ArenaKind.UNKNOWN,
                        "parameter '" + symbol.getSimpleName() + "'",
                        symbol,
                        null,
                        declaredIn,
                        true)));
      }
    }
    return store;
  }

  private TransferResult<ArenaValue, ArenaStore> result(ArenaValue value, ArenaStore store) {
    return new RegularTransferResult<>(value, store);
  }

  private static ArenaValue value(TransferInput<ArenaValue, ArenaStore> in, @Nullable Node node) {
    if (node == null) {
      return ArenaValue.NONE;
    }
    ArenaValue value = in.getValueOfSubNode(node);
    return value == null ? ArenaValue.NONE : value;
  }

  @Override
  public TransferResult<ArenaValue, ArenaStore> visitNode(
      Node node, TransferInput<ArenaValue, ArenaStore> in) {
    return result(ArenaValue.NONE, in.getRegularStore());
  }

  @Override
  public TransferResult<ArenaValue, ArenaStore> visitLocalVariable(
      LocalVariableNode node, TransferInput<ArenaValue, ArenaStore> in) {
    ArenaStore store = in.getRegularStore();
    VariableElement local = node.getElement();
    if (store.tracks(local)) {
      return result(store.valueOf(local), store);
    }
    if (capturing != null && declaredOutside(local, capturing)) {
      return result(analysis.capturedValue(local, capturing), store);
    }
    return result(ArenaValue.NONE, store);
  }

  private boolean declaredOutside(VariableElement local, Tree code) {
    return !UnitFacts.contains(code, ((VarSymbol) local).pos, state);
  }

  @Override
  public TransferResult<ArenaValue, ArenaStore> visitAssignment(
      AssignmentNode node, TransferInput<ArenaValue, ArenaStore> in) {
    ArenaStore store = in.getRegularStore();
    ArenaValue value = value(in, node.getExpression());
    Node target = node.getTarget();
    if (target instanceof LocalVariableNode local) {
      store = store.with(local.getElement(), value);
    } else if (target instanceof ArrayAccessNode element
        && element.getArray() instanceof LocalVariableNode array) {
      store = store.adding(array.getElement(), value);
    } else if (target instanceof FieldAccessNode field
        && field.getReceiver() instanceof LocalVariableNode holder) {
      store = store.adding(holder.getElement(), value);
    }
    return result(value, store);
  }

  @Override
  public TransferResult<ArenaValue, ArenaStore> visitMethodInvocation(
      MethodInvocationNode node, TransferInput<ArenaValue, ArenaStore> in) {
    ArenaStore store = in.getRegularStore();
    MethodSymbol method = (MethodSymbol) node.getTarget().getMethod();
    MethodModel model = analysis.model(method);
    Node receiver = method.isStatic() ? null : node.getTarget().getReceiver();
    List<Node> arguments = node.getArguments();
    int arity = method.getParameters().size();

    if (receiver instanceof LocalVariableNode container) {
      for (int i = 0; i < arguments.size(); i++) {
        if (MethodModel.has(model.storesIntoReceiverParams(), i, arity, method.isVarArgs())) {
          store = store.adding(container.getElement(), value(in, arguments.get(i)));
        }
      }
    }
    if (model.copiesOut()
        || !analysis.types().mayHoldArenaMemory(method.getReturnType(), state)
        || !analysis.types().mayHoldArenaMemory((Type) node.getType(), state)) {
      // The declared type, or the instantiated one (list.get(0) of a List<Integer>), holds none.
      return result(ArenaValue.NONE, store);
    }
    ArenaValue value = ArenaValue.NONE;
    if (model.scopedResult() || ArenaTypes.enforcedArenaScoped(method)) {
      value = scopedResult(node, method, receiver, in);
    }
    if (model.derivesFromReceiver() && receiver != null) {
      value = value.union(value(in, receiver));
    } else if (receiver != null && isRecordAccessor(method)) {
      value = value.union(value(in, receiver));
    }
    for (int i = 0; i < arguments.size(); i++) {
      if (MethodModel.has(model.derivesFromParams(), i, arity, method.isVarArgs())) {
        value = value.union(value(in, arguments.get(i)));
      }
    }
    if (!analysis.types().isSegment(method.getReturnType(), state)
        || method.getSimpleName().contentEquals("upcallStub")) {
      value = value.filter(Backing::copyable).isBacked() ? notCopyable(value) : value;
    }
    return result(value, store);
  }

  private static ArenaValue notCopyable(ArenaValue value) {
    return new ArenaValue(
        value.backings().stream()
            .map(Backing::notCopyable)
            .collect(com.google.common.collect.ImmutableSet.toImmutableSet()));
  }

  /**
   * The arenas behind the result of an {@code @ArenaScoped} call: the arena arguments; else the
   * receiver arena; else the receiver's or the arguments' arenas; else the receiver object's own
   * arena.
   */
  private ArenaValue scopedResult(
      MethodInvocationNode node,
      MethodSymbol method,
      @Nullable Node receiver,
      TransferInput<ArenaValue, ArenaStore> in) {
    Tree site = node.getTree() != null ? node.getTree() : root.getLeaf();
    ArenaValue value = ArenaValue.NONE;
    for (Node argument : node.getArguments()) {
      if (analysis.types().isArena((Type) argument.getType(), state)
          && argument.getTree() instanceof ExpressionTree arena) {
        value = value.union(backingOf(arena, site));
      }
    }
    if (value.isBacked()) {
      return value;
    }
    if (receiver != null
        && receiver.getTree() instanceof ExpressionTree arena
        && (analysis.types().isArena((Type) receiver.getType(), state)
            // A SegmentAllocator variable given an arena allocates from that arena.
            || (analysis.types().isAllocator((Type) receiver.getType(), state)
                && analysis.arenaBacking(arena, site) != null))) {
      return backingOf(arena, site);
    }
    if (receiver != null && value(in, receiver).isBacked()) {
      return value(in, receiver);
    }
    for (Node argument : node.getArguments()) {
      value = value.union(value(in, argument));
    }
    if (value.isBacked() || receiver == null || !ArenaTypes.enforcedArenaScoped(method)) {
      return value;
    }
    String methodName = method.getSimpleName() + "()";
    if (receiver instanceof ImplicitThisNode || receiver instanceof ExplicitThisNode) {
      return ArenaValue.of(
          new Backing(ScopeKind.OWNER, ArenaKind.UNKNOWN, "memory of this object's arena (from " + methodName + ")", null, null, null, true));
    }
    return ArenaValue.of(
        new Backing(ScopeKind.RECEIVER, ArenaKind.UNKNOWN, "memory of the receiver's arena (from " + methodName + ")", null, null, null, true));
  }

  private ArenaValue backingOf(ExpressionTree arena, Tree site) {
    Backing backing = analysis.arenaBacking(arena, site);
    return backing == null ? ArenaValue.NONE : ArenaValue.of(backing);
  }

  private static boolean isRecordAccessor(MethodSymbol method) {
    if (!(method.owner instanceof ClassSymbol owner) || !owner.isRecord() || !method.getParameters().isEmpty()) {
      return false;
    }
    for (var component : owner.getRecordComponents()) {
      if (component.getSimpleName().equals(method.getSimpleName())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public TransferResult<ArenaValue, ArenaStore> visitObjectCreation(
      ObjectCreationNode node, TransferInput<ArenaValue, ArenaStore> in) {
    ArenaStore store = in.getRegularStore();
    MethodSymbol constructor = ASTHelpers.getSymbol(node.getTree());
    ArenaValue value = ArenaValue.NONE;
    if (constructor != null) {
      ClassSymbol owner = (ClassSymbol) constructor.owner;
      boolean holdsArguments = owner.isRecord() || ArenaTypes.enforcedArenaScoped(owner);
      MethodModel model = analysis.model(constructor);
      List<Node> arguments = node.getArguments();
      int arity = constructor.getParameters().size();
      for (int i = 0; i < arguments.size(); i++) {
        Node argument = arguments.get(i);
        Symbol parameter = i < arity ? constructor.getParameters().get(i) : null;
        boolean holds =
            holdsArguments
                || (parameter != null && ArenaTypes.enforcedArenaScoped(parameter))
                || MethodModel.has(model.derivesFromParams(), i, arity, constructor.isVarArgs())
                || MethodModel.has(model.storesIntoReceiverParams(), i, arity, constructor.isVarArgs());
        if (!holds) {
          continue;
        }
        value = value.union(value(in, argument));
        if (ArenaTypes.enforcedArenaScoped(owner)
            && analysis.types().isArena((Type) argument.getType(), state)
            && argument.getTree() instanceof ExpressionTree arena) {
          value = value.union(backingOf(arena, node.getTree()));
        }
      }
    }
    if (node.getTree().getClassBody() != null) {
      value = value.union(captured(node.getTree().getClassBody(), node.getTree().getClassBody(), store));
    } else if (constructor != null
        && ((ClassSymbol) constructor.owner).isDirectlyOrIndirectlyLocal()
        && analysis.declaration(constructor.owner) instanceof ClassTree local) {
      // A named local class holds the locals it captures, like an anonymous one.
      value = value.union(captured(local, local, store));
    }
    return result(value, store);
  }

  @Override
  public TransferResult<ArenaValue, ArenaStore> visitMemberReference(
      FunctionalInterfaceNode node, TransferInput<ArenaValue, ArenaStore> in) {
    ArenaStore store = in.getRegularStore();
    Tree tree = node.getTree();
    if (tree instanceof LambdaExpressionTree lambda) {
      return result(captured(lambda.getBody(), lambda, store), store);
    }
    if (tree instanceof MemberReferenceTree reference) {
      return result(captured(reference.getQualifierExpression(), reference, store), store);
    }
    return result(ArenaValue.NONE, store);
  }

  /**
   * What a lambda body, method reference qualifier or anonymous class body holds: the values of
   * the locals it captures, and the memory of the arenas it captures (a task that uses an arena
   * is as short-lived as the arena).
   */
  private ArenaValue captured(Tree body, Tree scope, ArenaStore store) {
    ArenaValue[] value = {ArenaValue.NONE};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        Symbol symbol = ASTHelpers.getSymbol(identifier);
        if (symbol instanceof VarSymbol variable && UnitFacts.isLocal(variable) && declaredOutside(variable, scope)) {
          if (store.tracks(variable)) {
            value[0] = value[0].union(store.valueOf(variable));
          } else if (capturing != null && declaredOutside(variable, capturing)) {
            value[0] = value[0].union(analysis.capturedValue(variable, capturing));
          }
          if (analysis.types().isArena(variable.type, state)) {
            value[0] = value[0].union(backingOf(identifier, identifier));
          }
        }
        return null;
      }
    }.scan(body, null);
    return value[0];
  }

  @Override
  public TransferResult<ArenaValue, ArenaStore> visitFieldAccess(
      FieldAccessNode node, TransferInput<ArenaValue, ArenaStore> in) {
    ArenaStore store = in.getRegularStore();
    Symbol field = (Symbol) node.getElement();
    if (field.isStatic() || !analysis.types().mayHoldArenaMemory(field.type, state)) {
      return result(ArenaValue.NONE, store);
    }
    Node receiver = node.getReceiver();
    ArenaValue held = value(in, receiver);
    if (held.isBacked()) {
      return result(held, store);
    }
    boolean onThis = receiver instanceof ImplicitThisNode || receiver instanceof ExplicitThisNode;
    if (ArenaTypes.enforcedArenaScoped(field)) {
      return result(
          ArenaValue.of(
              new Backing(
                  onThis ? ScopeKind.OWNER : ScopeKind.RECEIVER,
                  ArenaKind.UNKNOWN,
                  "@ArenaScoped field '" + field.getSimpleName() + "'",
                  field,
                  null,
                  null,
                  true)),
          store);
    }
    ArenaValue own = field instanceof VarSymbol variable ? analysis.fieldValue(variable) : ArenaValue.NONE;
    if (!onThis) {
      // Another object's field: memory of that object's arena, as long as it keeps it open.
      own =
          new ArenaValue(
              own.backings().stream()
                  .map(b -> b.scope() != ScopeKind.OWNER ? b : new Backing(ScopeKind.RECEIVER, b.arenaKind(), b.origin() + " (of another object)", b.arena(), null, null, b.copyable()))
                  .collect(com.google.common.collect.ImmutableSet.toImmutableSet()));
    }
    return result(own, store);
  }

  @Override
  public TransferResult<ArenaValue, ArenaStore> visitArrayAccess(
      ArrayAccessNode node, TransferInput<ArenaValue, ArenaStore> in) {
    Type element = (Type) node.getType();
    ArenaValue value =
        analysis.types().mayHoldArenaMemory(element, state) ? value(in, node.getArray()) : ArenaValue.NONE;
    return result(value, in.getRegularStore());
  }

  @Override
  public TransferResult<ArenaValue, ArenaStore> visitArrayCreation(
      ArrayCreationNode node, TransferInput<ArenaValue, ArenaStore> in) {
    ArenaValue value = ArenaValue.NONE;
    for (Node initializer : node.getInitializers()) {
      value = value.union(value(in, initializer));
    }
    return result(value, in.getRegularStore());
  }

  @Override
  public TransferResult<ArenaValue, ArenaStore> visitTernaryExpression(
      TernaryExpressionNode node, TransferInput<ArenaValue, ArenaStore> in) {
    ArenaValue value = value(in, node.getThenOperand()).union(value(in, node.getElseOperand()));
    return result(value, in.getRegularStore());
  }

  @Override
  public TransferResult<ArenaValue, ArenaStore> visitSwitchExpressionNode(
      SwitchExpressionNode node, TransferInput<ArenaValue, ArenaStore> in) {
    // Each case's result is assigned to this synthetic variable; its value joins them all.
    return result(value(in, node.getSwitchExpressionVar()), in.getRegularStore());
  }

  @Override
  public TransferResult<ArenaValue, ArenaStore> visitTypeCast(
      TypeCastNode node, TransferInput<ArenaValue, ArenaStore> in) {
    return result(value(in, node.getOperand()), in.getRegularStore());
  }

  /** The method whose body this transfer analyses, for lambdas the innermost enclosing one. */
  @Nullable MethodTree method() {
    if (ast instanceof UnderlyingAST.CFGMethod method) {
      return method.getMethod();
    }
    if (ast instanceof UnderlyingAST.CFGLambda lambda) {
      return lambda.getEnclosingMethod();
    }
    return null;
  }
}
