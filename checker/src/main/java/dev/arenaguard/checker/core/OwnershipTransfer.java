package dev.arenaguard.checker.core;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import dev.arenaguard.checker.model.MethodModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import org.checkerframework.errorprone.dataflow.analysis.ConditionalTransferResult;
import org.checkerframework.errorprone.dataflow.analysis.ForwardTransferFunction;
import org.checkerframework.errorprone.dataflow.analysis.RegularTransferResult;
import org.checkerframework.errorprone.dataflow.analysis.TransferInput;
import org.checkerframework.errorprone.dataflow.analysis.TransferResult;
import org.checkerframework.errorprone.dataflow.cfg.UnderlyingAST;
import org.checkerframework.errorprone.dataflow.cfg.block.ExceptionBlock;
import org.checkerframework.errorprone.dataflow.cfg.node.AbstractNodeVisitor;
import org.checkerframework.errorprone.dataflow.cfg.node.ArrayAccessNode;
import org.checkerframework.errorprone.dataflow.cfg.node.AssignmentNode;
import org.checkerframework.errorprone.dataflow.cfg.node.EqualToNode;
import org.checkerframework.errorprone.dataflow.cfg.node.FieldAccessNode;
import org.checkerframework.errorprone.dataflow.cfg.node.FunctionalInterfaceNode;
import org.checkerframework.errorprone.dataflow.cfg.node.LambdaResultExpressionNode;
import org.checkerframework.errorprone.dataflow.cfg.node.LocalVariableNode;
import org.checkerframework.errorprone.dataflow.cfg.node.MethodInvocationNode;
import org.checkerframework.errorprone.dataflow.cfg.node.Node;
import org.checkerframework.errorprone.dataflow.cfg.node.NotEqualNode;
import org.checkerframework.errorprone.dataflow.cfg.node.NullLiteralNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ObjectCreationNode;
import org.checkerframework.errorprone.dataflow.cfg.node.ReturnNode;
import org.checkerframework.errorprone.dataflow.cfg.node.SwitchExpressionNode;
import org.checkerframework.errorprone.dataflow.cfg.node.TernaryExpressionNode;
import org.checkerframework.errorprone.dataflow.cfg.node.TypeCastNode;
import org.jspecify.annotations.Nullable;

/**
 * The transfer function of the ownership analysis (SPEC §2.0.6, §2.5). A closeable arena created
 * in the method is open and owned from its creation until it is closed or handed on: returned,
 * passed to a constructor (the new object owns it), stored into a field or a container, or
 * captured by a lambda that closes it. Passed to a call whose result is {@code AutoCloseable} (a
 * static factory of an owner, {@link ArenaTypes#ownsArenasGiven}), it is owned by that result,
 * which then stands for it (as the Resource Leak Checker's {@code @MustCallAlias}): closing,
 * returning, storing or handing on the result releases it. Arguments of other calls are borrowed.
 *
 * <p>Every exceptional edge carries the arenas open before the throwing node (an arena handed on
 * or closed by that very node counts as handed on: the callee has it). Exceptions that only
 * implicit checks raise (null dereference, array bounds, casts, division) are not followed, as in
 * the Checker Framework's Resource Leak Checker; calls and {@code throw} statements are.
 */
final class OwnershipTransfer
    extends AbstractNodeVisitor<TransferResult<Owned, OwnershipStore>, TransferInput<Owned, OwnershipStore>>
    implements ForwardTransferFunction<Owned, OwnershipStore> {

  private final ArenaAnalysis analysis;
  private final Predicate<Tree> isCreation;

  OwnershipTransfer(ArenaAnalysis analysis, Predicate<Tree> isCreation) {
    this.analysis = analysis;
    this.isCreation = isCreation;
  }

  @Override
  public OwnershipStore initialStore(UnderlyingAST ast, @Nullable List<LocalVariableNode> parameters) {
    return OwnershipStore.EMPTY;
  }

  private static Owned value(TransferInput<Owned, OwnershipStore> in, @Nullable Node node) {
    if (node instanceof LocalVariableNode local && local.isLValue()) {
      // The resource variable that the synthetic close() of try-with-resources is called on.
      return in.getRegularStore().valueOf(local.getElement());
    }
    Owned value = node == null || node.isLValue() ? null : in.getValueOfSubNode(node);
    return value == null ? Owned.NONE : value;
  }

  /**
   * The result of {@code node}: {@code after} on the regular path; on exceptional paths, {@code
   * after} if the node hands arenas on or closes them ({@code handsOn}), else the store before it,
   * with the node as the reason the open arenas stay open.
   */
  private TransferResult<Owned, OwnershipStore> result(
      Node node, TransferInput<Owned, OwnershipStore> in, Owned value, OwnershipStore after, boolean handsOn) {
    return result(node, in, value, after, handsOn ? after : in.getRegularStore());
  }

  /** {@link #result}, with {@code beforeThrow} what is open when the node throws. */
  private TransferResult<Owned, OwnershipStore> result(
      Node node,
      TransferInput<Owned, OwnershipStore> in,
      Owned value,
      OwnershipStore after,
      OwnershipStore beforeThrow) {
    if (!(node.getBlock() instanceof ExceptionBlock block)) {
      return new RegularTransferResult<>(value, after);
    }
    OwnershipStore thrown;
    Tree tree = node.getTree();
    if (node.getInSource()
        && (tree instanceof MethodInvocationTree || tree instanceof NewClassTree || tree instanceof ThrowTree)) {
      thrown = beforeThrow.thrownAt(node.getTree());
    } else if (isBoxing(node)) {
      thrown = OwnershipStore.EMPTY; // Integer.valueOf(i) the compiler inserted: nothing to follow
    } else {
      // A call the compiler inserted (an iterator's next(), a resource's close()): it may throw,
      // but it is no witness the user would recognise.
      thrown = beforeThrow;
    }
    Map<TypeMirror, OwnershipStore> exceptional = new HashMap<>();
    for (TypeMirror cause : block.getExceptionalSuccessors().keySet()) {
      exceptional.put(cause, thrown);
    }
    return new RegularTransferResult<>(value, after, exceptional);
  }

  private static boolean isBoxing(Node node) {
    if (!(node instanceof MethodInvocationNode call)) {
      return false;
    }
    String name = call.getTarget().getMethod().getSimpleName().toString();
    return name.equals("valueOf") || name.endsWith("Value");
  }

  @Override
  public TransferResult<Owned, OwnershipStore> visitNode(Node node, TransferInput<Owned, OwnershipStore> in) {
    return result(node, in, Owned.NONE, in.getRegularStore(), false);
  }

  @Override
  public TransferResult<Owned, OwnershipStore> visitLocalVariable(
      LocalVariableNode node, TransferInput<Owned, OwnershipStore> in) {
    return new RegularTransferResult<>(in.getRegularStore().valueOf(node.getElement()), in.getRegularStore());
  }

  @Override
  public TransferResult<Owned, OwnershipStore> visitAssignment(
      AssignmentNode node, TransferInput<Owned, OwnershipStore> in) {
    OwnershipStore store = in.getRegularStore();
    Owned value = value(in, node.getExpression());
    Node target = node.getTarget();
    if (target instanceof LocalVariableNode local) {
      store = store.pointing(local.getElement(), value);
    } else if (target instanceof FieldAccessNode || target instanceof ArrayAccessNode) {
      // A field's or array's owner takes it; an owner that never closes its field is reported at
      // the field.
      store = store.released(value);
    }
    return result(node, in, value, store, !value.isEmpty());
  }

  @Override
  public TransferResult<Owned, OwnershipStore> visitReturn(ReturnNode node, TransferInput<Owned, OwnershipStore> in) {
    return new RegularTransferResult<>(Owned.NONE, in.getRegularStore().released(value(in, node.getResult())));
  }

  @Override
  public TransferResult<Owned, OwnershipStore> visitLambdaResultExpression(
      LambdaResultExpressionNode node, TransferInput<Owned, OwnershipStore> in) {
    return new RegularTransferResult<>(Owned.NONE, in.getRegularStore().released(value(in, node.getResult())));
  }

  @Override
  public TransferResult<Owned, OwnershipStore> visitMethodInvocation(
      MethodInvocationNode node, TransferInput<Owned, OwnershipStore> in) {
    OwnershipStore store = in.getRegularStore();
    Tree tree = node.getTree();
    if (tree != null && isCreation.test(tree)) {
      return result(node, in, Owned.of(tree), store.created(tree), false);
    }
    MethodSymbol method = (MethodSymbol) node.getTarget().getMethod();
    String name = method.getSimpleName().toString();
    Node receiver = method.isStatic() ? null : node.getTarget().getReceiver();
    Owned receiverValue = value(in, receiver);
    if (name.equals("isOpen") && method.getParameters().isEmpty() && !receiverValue.isEmpty()) {
      // if (arena.isOpen()) arena.close(): where it is not open, there is nothing to close.
      return new ConditionalTransferResult<>(Owned.NONE, store, store.released(receiverValue));
    }
    MethodModel model = analysis.model(method);
    List<Node> arguments = node.getArguments();
    int arity = method.getParameters().size();
    Owned handedOn = name.equals("close") && arguments.isEmpty() ? receiverValue : Owned.NONE;
    Owned value = model.derivesFromReceiver() ? receiverValue : Owned.NONE;
    // An AutoCloseable result owns the arenas given to the call, as a new object does (SPEC
    // §2.0.6), and stands for them: closing, returning, storing or handing it on releases them.
    boolean resultOwns = analysis.types().ownsArenasGiven((Type) node.getType(), analysis.state());
    Owned owned = Owned.NONE;
    for (int i = 0; i < arguments.size(); i++) {
      Owned argument = value(in, arguments.get(i));
      if (argument.isEmpty()) {
        continue;
      }
      if (resultOwns) {
        owned = owned.union(argument);
      }
      if (name.startsWith("close")
          || MethodModel.has(model.storesIntoReceiverParams(), i, arity, method.isVarArgs())) {
        handedOn = handedOn.union(argument); // closeQuietly(arena), list.add(arena)
      }
      if (MethodModel.has(model.derivesFromParams(), i, arity, method.isVarArgs())) {
        value = value.union(argument); // Objects.requireNonNull(arena), List.of(a, b)
      }
    }
    OwnershipStore after = store.released(handedOn);
    // If the call throws, the callee had the arenas: as for a constructor, it is theirs to close.
    return result(node, in, value.union(owned), after, handedOn.isEmpty() && owned.isEmpty() ? store : after.released(owned));
  }

  @Override
  public TransferResult<Owned, OwnershipStore> visitObjectCreation(
      ObjectCreationNode node, TransferInput<Owned, OwnershipStore> in) {
    OwnershipStore store = in.getRegularStore();
    Tree tree = node.getTree();
    if (isCreation.test(tree)) {
      return result(node, in, Owned.of(tree), store.created(tree), false);
    }
    // The new object owns the arenas given to its constructor (SPEC §2.0.6).
    Owned handedOn = Owned.NONE;
    for (Node argument : node.getArguments()) {
      handedOn = handedOn.union(value(in, argument));
    }
    return result(node, in, Owned.NONE, store.released(handedOn), !handedOn.isEmpty());
  }

  @Override
  public TransferResult<Owned, OwnershipStore> visitMemberReference(
      FunctionalInterfaceNode node, TransferInput<Owned, OwnershipStore> in) {
    OwnershipStore store = in.getRegularStore();
    Tree tree = node.getTree();
    Owned closed = Owned.NONE;
    if (tree instanceof MemberReferenceTree reference
        && reference.getName().contentEquals("close")
        && ASTHelpers.getSymbol(ASTHelpers.stripParentheses(reference.getQualifierExpression()))
            instanceof VariableElement variable) {
      closed = store.valueOf(variable); // Runnable cleanup = arena::close
    } else if (tree instanceof LambdaExpressionTree lambda) {
      for (VariableElement variable : closedIn(lambda.getBody())) {
        closed = closed.union(store.valueOf(variable)); // () -> arena.close(), try (arena) { .. }
      }
    }
    return new RegularTransferResult<>(Owned.NONE, store.released(closed));
  }

  /** The variables closed in {@code body}: {@code v.close()} and {@code try (v) {..}}. */
  private static List<VariableElement> closedIn(Tree body) {
    List<VariableElement> closed = new java.util.ArrayList<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        if (call.getArguments().isEmpty()
            && call.getMethodSelect() instanceof MemberSelectTree select
            && select.getIdentifier().contentEquals("close")
            && ASTHelpers.getSymbol(ASTHelpers.stripParentheses(select.getExpression())) instanceof VariableElement v) {
          closed.add(v);
        }
        return super.visitMethodInvocation(call, unused);
      }

      @Override
      public Void visitTry(TryTree tryTree, Void unused) {
        for (Tree resource : tryTree.getResources()) {
          if (resource instanceof IdentifierTree || resource instanceof MemberSelectTree) {
            Symbol symbol = ASTHelpers.getSymbol((ExpressionTree) resource);
            if (symbol instanceof VariableElement v) {
              closed.add(v);
            }
          }
        }
        return super.visitTry(tryTree, unused);
      }
    }.scan(body, null);
    return closed;
  }

  @Override
  public TransferResult<Owned, OwnershipStore> visitEqualTo(EqualToNode node, TransferInput<Owned, OwnershipStore> in) {
    return nullCheck(node.getLeftOperand(), node.getRightOperand(), true, in);
  }

  @Override
  public TransferResult<Owned, OwnershipStore> visitNotEqual(NotEqualNode node, TransferInput<Owned, OwnershipStore> in) {
    return nullCheck(node.getLeftOperand(), node.getRightOperand(), false, in);
  }

  /**
   * {@code arena == null} / {@code arena != null}: where the variable is null it denotes no arena,
   * so {@code if (arena != null) arena.close()} in a {@code finally} closes every arena it can.
   */
  private TransferResult<Owned, OwnershipStore> nullCheck(
      Node left, Node right, boolean equal, TransferInput<Owned, OwnershipStore> in) {
    OwnershipStore store = in.getRegularStore();
    Node variable = left instanceof NullLiteralNode ? right : right instanceof NullLiteralNode ? left : null;
    if (!(variable instanceof LocalVariableNode local) || store.valueOf(local.getElement()).isEmpty()) {
      return new RegularTransferResult<>(Owned.NONE, store);
    }
    OwnershipStore isNull = store.released(store.valueOf(local.getElement())).pointing(local.getElement(), Owned.NONE);
    return equal
        ? new ConditionalTransferResult<>(Owned.NONE, isNull, store)
        : new ConditionalTransferResult<>(Owned.NONE, store, isNull);
  }

  @Override
  public TransferResult<Owned, OwnershipStore> visitTernaryExpression(
      TernaryExpressionNode node, TransferInput<Owned, OwnershipStore> in) {
    Owned value = value(in, node.getThenOperand()).union(value(in, node.getElseOperand()));
    return new RegularTransferResult<>(value, in.getRegularStore());
  }

  @Override
  public TransferResult<Owned, OwnershipStore> visitSwitchExpressionNode(
      SwitchExpressionNode node, TransferInput<Owned, OwnershipStore> in) {
    return new RegularTransferResult<>(value(in, node.getSwitchExpressionVar()), in.getRegularStore());
  }

  @Override
  public TransferResult<Owned, OwnershipStore> visitTypeCast(TypeCastNode node, TransferInput<Owned, OwnershipStore> in) {
    return result(node, in, value(in, node.getOperand()), in.getRegularStore(), false);
  }
}
