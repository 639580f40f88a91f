package dev.arenaguard.checker.core;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A method or constructor call, seen the same way whichever it is: what is called, with which
 * arguments, on which receiver.
 *
 * @param tree the {@link MethodInvocationTree} or {@link NewClassTree}
 * @param method the statically resolved method or constructor
 * @param arguments the arguments
 * @param receiver the receiver expression of an instance method call ({@code a} in {@code
 *     a.m()}); null for static methods, constructors and calls on an implicit {@code this}
 */
public record Call(
    Tree tree, MethodSymbol method, List<? extends ExpressionTree> arguments, @Nullable ExpressionTree receiver) {

  /** The call {@code tree} is, or null when it is not a call or does not resolve. */
  public static @Nullable Call of(Tree tree) {
    if (tree instanceof MethodInvocationTree invocation) {
      MethodSymbol method = ASTHelpers.getSymbol(invocation);
      if (method == null) {
        return null;
      }
      ExpressionTree receiver =
          !method.isStatic() && invocation.getMethodSelect() instanceof MemberSelectTree select
              ? select.getExpression()
              : null;
      return new Call(tree, method, invocation.getArguments(), receiver);
    }
    if (tree instanceof NewClassTree creation) {
      MethodSymbol method = ASTHelpers.getSymbol(creation);
      return method == null ? null : new Call(tree, method, creation.getArguments(), null);
    }
    return null;
  }

  /** The called method in the user's words: {@code submit}, {@code new Worker}. */
  public String name() {
    return method.isConstructor() ? "new " + method.owner.getSimpleName() : method.getSimpleName().toString();
  }

  /** Runs {@code action} on the path of every method and constructor call under {@code root}. */
  public static void forEachUnder(TreePath root, Consumer<TreePath> action) {
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        action.accept(getCurrentPath());
        return super.visitMethodInvocation(tree, unused);
      }

      @Override
      public Void visitNewClass(NewClassTree tree, Void unused) {
        action.accept(getCurrentPath());
        return super.visitNewClass(tree, unused);
      }
    }.scan(root, null);
  }
}
