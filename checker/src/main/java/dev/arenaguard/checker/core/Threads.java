package dev.arenaguard.checker.core;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.tree.JCTree;
import org.jspecify.annotations.Nullable;

/**
 * The thread model (SPEC §2.0.3): whether a task handed to another thread is awaited before a
 * scope ends. A handoff is awaited when the handing-off method itself waits ({@code invokeAll},
 * {@code ForkJoinPool.invoke}); when it goes to an executor declared in a try-with-resources
 * statement that closes (and so waits) inside the scope; or when the future or thread it returns
 * is kept in a local on which an {@code @Awaits} method ({@code get}, {@code join}) is called
 * later inside the scope.
 */
public final class Threads {
  private Threads() {}

  /**
   * Whether the handoff at {@code handoffPath} (a method call or constructor call) is awaited
   * before {@code scopeEnd}, a source position.
   */
  public static boolean isAwaitedBefore(
      TreePath handoffPath, int scopeEnd, ArenaAnalysis analysis, VisitorState state) {
    Tree handoff = handoffPath.getLeaf();
    int start = ((JCTree) handoff).getStartPosition();
    if (handoff instanceof MethodInvocationTree call) {
      if (analysis.model(ASTHelpers.getSymbol(call)).awaits()) {
        return true;
      }
      if (call.getMethodSelect() instanceof MemberSelectTree select) {
        Symbol executor = ASTHelpers.getSymbol(ASTHelpers.stripParentheses(select.getExpression()));
        TryTree resource = executor == null ? null : analysis.facts().resourceStatement(executor);
        if (resource != null
            && closeAwaits(executor.type, analysis, state)
            && ((JCTree.JCBlock) resource.getBlock()).endpos <= scopeEnd) {
          return true;
        }
      }
    }
    Symbol task = resultVariable(handoffPath);
    if (task != null) {
      for (MethodInvocationTree await : analysis.facts().awaitsOf(task)) {
        int at = ((JCTree) await).getStartPosition();
        if (at > start && at <= scopeEnd) {
          return true;
        }
      }
    }
    return false;
  }

  /** The end of the method or lambda body that contains {@code path}. */
  public static int endOfEnclosingCode(TreePath path, VisitorState state) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof MethodTree || p.getLeaf() instanceof com.sun.source.tree.LambdaExpressionTree) {
        return state.getEndPosition(p.getLeaf());
      }
    }
    return Integer.MAX_VALUE;
  }

  private static boolean closeAwaits(Type type, ArenaAnalysis analysis, VisitorState state) {
    if (type == null || type.tsym == null) {
      return false;
    }
    for (Symbol member : type.tsym.members().getSymbolsByName(state.getName("close"))) {
      if (member instanceof MethodSymbol close && close.getParameters().isEmpty()) {
        return analysis.model(close).awaits();
      }
    }
    for (Type supertype : state.getTypes().closure(type)) {
      for (Symbol member : supertype.tsym.members().getSymbolsByName(state.getName("close"))) {
        if (member instanceof MethodSymbol close
            && close.getParameters().isEmpty()
            && analysis.model(close).awaits()) {
          return true;
        }
      }
    }
    return false;
  }

  /** The local the handoff's result (a future, a thread) is stored in, possibly via {@code .start()}. */
  private static @Nullable Symbol resultVariable(TreePath path) {
    TreePath p = path.getParentPath();
    // new Thread(r).start() keeps no handle; Thread t = new Thread(r) does.
    while (p != null && p.getLeaf() instanceof com.sun.source.tree.ParenthesizedTree) {
      p = p.getParentPath();
    }
    if (p == null) {
      return null;
    }
    if (p.getLeaf() instanceof VariableTree variable) {
      return ASTHelpers.getSymbol(variable);
    }
    if (p.getLeaf() instanceof AssignmentTree assignment) {
      ExpressionTree target = assignment.getVariable();
      Symbol symbol = ASTHelpers.getSymbol(target);
      return symbol != null && UnitFacts.isLocal(symbol) ? symbol : null;
    }
    return null;
  }
}
