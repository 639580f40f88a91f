package dev.arenaguard.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker.IdentifierTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MemberSelectTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.YieldTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import dev.arenaguard.checker.core.ArenaEnd;
import dev.arenaguard.checker.core.ArenaAnalysis;
import dev.arenaguard.checker.core.ArenaLifecycle;
import dev.arenaguard.checker.core.ArenaLifecycle.Use;
import dev.arenaguard.checker.core.ArenaLifecycle.UseKind;
import dev.arenaguard.checker.core.Freed;
import dev.arenaguard.checker.core.FreedUse;
import dev.arenaguard.checker.core.UnitFacts;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * SPEC §2.4: arena memory used after its arena is closed or reset on some path of the same method.
 */
@BugPattern(
    summary = "Arena memory is used after its arena is closed or reset",
    severity = ERROR,
    linkType = CUSTOM,
    link = ArenaGuardChecker.DOCS + "ArenaUseAfterClose.md")
public final class ArenaUseAfterClose extends ArenaGuardChecker
    implements IdentifierTreeMatcher, MemberSelectTreeMatcher {

  /** For {@code ServiceLoader}, which requires it; Error Prone itself uses the flags constructor. */
  public ArenaUseAfterClose() {
    this(ErrorProneFlags.empty());
  }

  public ArenaUseAfterClose(ErrorProneFlags flags) {
    super(flags);
  }

  /** One diagnostic per freed variable and end: the first use (the tree is visited in order). */
  private @Nullable CompilationUnitTree unit;

  private final Set<List<Object>> reported = new HashSet<>();

  @Override
  public Description matchIdentifier(IdentifierTree tree, VisitorState state) {
    return guard(tree, state, () -> check(tree, state));
  }

  @Override
  public Description matchMemberSelect(MemberSelectTree tree, VisitorState state) {
    // this.arena, this.buffer: fields of this object that the method closes or frees.
    if (!UnitFacts.isOnThis(tree)) {
      return Description.NO_MATCH;
    }
    return guard(tree, state, () -> check(tree, state));
  }

  private Description check(Tree tree, VisitorState state) {
    ArenaAnalysis analysis = analysis(state);
    if (!analysis.facts().mentionsArenaMemory() // then nothing is freed: freedAt says so, later
        || !(ASTHelpers.getSymbol(tree) instanceof VarSymbol variable)
        || !(UnitFacts.isLocal(variable) || variable.getKind() == ElementKind.FIELD)
        || !(analysis.types().mayHoldArenaMemory(variable.type, state)
            || analysis.types().isArena(variable.type, state))) {
      return Description.NO_MATCH;
    }
    ArenaLifecycle lifecycle = analysis.lifecycle();
    FreedUse freed = lifecycle.freedAt(state.getPath());
    if (!freed.isFreed()) {
      return Description.NO_MATCH;
    }
    Use use = lifecycle.useOf(state.getPath());
    if (use.kind() != UseKind.ACCESS || capturedByEscapingLambda(variable, lifecycle, state)) {
      return Description.NO_MATCH;
    }
    Freed first = freed.freed().stream().min(Comparator.comparingInt(f -> f.end().position())).orElseThrow();
    CompilationUnitTree current = state.getPath().getCompilationUnit();
    if (unit != current) {
      unit = current;
      reported.clear();
    }
    if (!reported.add(List.of(variable, first.end()))) {
      return Description.NO_MATCH;
    }
    boolean arena = analysis(state).types().isArena(variable.type, state);
    String name = "'" + variable.getSimpleName() + "'";
    String when = first.end().describe(current.getLineMap()) + (freed.onEveryPath() ? "" : " on some paths");
    String message;
    if (arena) {
      message =
          "arena " + name + " is used after " + when
              + ": allocating from a closed arena throws IllegalStateException. Allocate before the"
              + " close, or from an arena that is still open";
    } else {
      String whose = first.what();
      String why = parentNote(first.end(), whose);
      message =
          name + " (" + whose + ") is used after " + when + why
              + ": " + consequence(first.end()) + ". " + advice(first.end());
    }
    Description.Builder description = buildDescription(use.at()).setMessage(message);
    moveEndAfterUses(first.end(), state).ifPresent(description::addFix);
    return description.build();
  }

  /**
   * A value captured by a lambda that is itself handed to another thread or kept: ArenaEscape's.
   * (A lambda's own locals are judged like a method's.)
   */
  private static boolean capturedByEscapingLambda(VarSymbol variable, ArenaLifecycle lifecycle, VisitorState state) {
    for (TreePath p = state.getPath(); p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof LambdaExpressionTree lambda) {
        boolean own = UnitFacts.contains(lambda, variable.pos, state);
        return !own && lifecycle.useOf(p).kind() == UseKind.ESCAPE;
      }
      if (p.getLeaf() instanceof ClassTree) {
        return false;
      }
    }
    return false;
  }

  /** Names the parent when a parent arena's end freed a child's memory. */
  private static String parentNote(ArenaEnd end, String whose) {
    String ending = "'" + end.arena().getSimpleName() + "'";
    if (end.kind() == ArenaEnd.Kind.PHASE_END || whose.contains(ending)) {
      return "";
    }
    return end.kind() == ArenaEnd.Kind.RESET
        ? " (resetting an arena resets its child arenas and aliases)"
        : " (closing an arena closes its child arenas and aliases)";
  }

  private static String consequence(ArenaEnd end) {
    return switch (end.kind()) {
      case RESET -> "its memory is freed for reuse, and the access throws IllegalStateException";
      case PHASE_END -> "memory allocated in a phase is freed when the phase ends, and the access throws IllegalStateException";
      default -> "the access throws IllegalStateException (Already closed)";
    };
  }

  private static String advice(ArenaEnd end) {
    return switch (end.kind()) {
      case CLOSE, RESET ->
          "Use it before the " + (end.kind() == ArenaEnd.Kind.CLOSE ? "close" : "reset")
              + ", or copy the data out first (toArray(..), MemorySegment.copy into longer-lived memory)";
      default ->
          "Use it inside the block, or copy the data out before the block ends (toArray(..),"
              + " MemorySegment.copy into longer-lived memory)";
    };
  }

  /**
   * Moves {@code a.close();} (or {@code a.reset();}) down to just after the last statement that
   * uses memory it frees, when both are statements of the same block, and the statements in
   * between neither leave the block early nor mention an arena (so nothing they do depends on the
   * arena being closed, and no allocation moves into the freed epoch).
   */
  private Optional<SuggestedFix> moveEndAfterUses(ArenaEnd end, VisitorState state) {
    if (!(end.at() instanceof MethodInvocationTree call)) {
      return Optional.empty();
    }
    TreePath callPath = analysis(state).pathOf(call);
    if (callPath == null
        || !(callPath.getParentPath().getLeaf() instanceof ExpressionStatementTree statement)
        || !(callPath.getParentPath().getParentPath().getLeaf() instanceof BlockTree block)) {
      return Optional.empty();
    }
    List<? extends StatementTree> statements = block.getStatements();
    int close = statements.indexOf(statement);
    ArenaLifecycle lifecycle = analysis(state).lifecycle();
    TreePath blockPath = callPath.getParentPath().getParentPath();
    int last = -1;
    for (int i = close + 1; i < statements.size(); i++) {
      if (usesFreedBy(new TreePath(blockPath, statements.get(i)), end, lifecycle)) {
        last = i;
      }
    }
    if (last < 0) {
      return Optional.empty();
    }
    for (int i = close + 1; i <= last; i++) {
      if (leavesOrMentionsArena(new TreePath(blockPath, statements.get(i)), state)) {
        return Optional.empty();
      }
    }
    String source = state.getSourceForNode(statement);
    if (source == null) {
      return Optional.empty();
    }
    return Optional.of(
        SuggestedFix.builder().delete(statement).postfixWith(statements.get(last), "\n" + source).build());
  }

  private static boolean usesFreedBy(TreePath statement, ArenaEnd end, ArenaLifecycle lifecycle) {
    boolean[] uses = {false};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        if (!uses[0]) {
          uses[0] = lifecycle.freedAt(getCurrentPath()).freed().stream().anyMatch(f -> f.end().equals(end));
        }
        return null;
      }
    }.scan(statement, null);
    return uses[0];
  }

  private boolean leavesOrMentionsArena(TreePath statement, VisitorState state) {
    boolean[] found = {false};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        Symbol symbol = ASTHelpers.getSymbol(identifier);
        found[0] |= symbol != null && analysis(state).types().isArena(symbol.type, state);
        return null;
      }

      @Override
      public Void visitMemberSelect(MemberSelectTree select, Void unused) {
        Symbol symbol = ASTHelpers.getSymbol(select);
        found[0] |= symbol instanceof VarSymbol && analysis(state).types().isArena(symbol.type, state);
        return super.visitMemberSelect(select, unused);
      }

      @Override
      public Void scan(Tree tree, Void unused) {
        if (tree instanceof ReturnTree
            || tree instanceof ThrowTree
            || tree instanceof BreakTree
            || tree instanceof ContinueTree
            || tree instanceof YieldTree) {
          found[0] = true; // leaves the block, skipping the moved close
          return null;
        }
        return super.scan(tree, unused);
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
        return null; // a return inside a lambda leaves the lambda, not the block
      }

      @Override
      public Void visitClass(ClassTree tree, Void unused) {
        return null;
      }
    }.scan(statement, null);
    return found[0];
  }
}
