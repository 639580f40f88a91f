package dev.arenaguard.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.NewClassTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.VariableTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import dev.arenaguard.checker.core.ArenaKind;
import dev.arenaguard.checker.core.ArenaLifecycle;
import dev.arenaguard.checker.core.ArenaLifecycle.Leak;
import dev.arenaguard.checker.core.Lifetimes;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * SPEC §2.5: a closeable arena created in a method that some path leaves open, exceptional paths
 * included; and an arena field that its class creates and never closes.
 */
@BugPattern(
    summary = "A closeable arena is not closed on every path",
    severity = WARNING,
    linkType = CUSTOM,
    link = ArenaGuardChecker.DOCS + "ArenaNotClosed.md")
public final class ArenaNotClosed extends ArenaGuardChecker
    implements MethodInvocationTreeMatcher, NewClassTreeMatcher, VariableTreeMatcher {

  private final Lifetimes lifetimes;

  /** For {@code ServiceLoader}, which requires it; Error Prone itself uses the flags constructor. */
  public ArenaNotClosed() {
    this(ErrorProneFlags.empty());
  }

  public ArenaNotClosed(ErrorProneFlags flags) {
    super(flags);
    this.lifetimes = new Lifetimes(config);
  }

  // ---------------------------------------------------------------------------------------------
  // arenas created in a method

  @Override
  protected Description matchCall(ExpressionTree creation, VisitorState state) {
    ArenaLifecycle lifecycle = analysis(state).lifecycle();
    if (!lifecycle.isClosableCreation(creation)) {
      return Description.NO_MATCH;
    }
    Optional<Leak> leak = lifecycle.leakOf(state.getPath());
    if (leak.isEmpty()) {
      return Description.NO_MATCH;
    }
    // cond ? Arena.ofShared() : Arena.ofConfined(): one diagnostic, at the first leaking creation.
    TreePath whole = ArenaLifecycle.wholeExpression(state.getPath());
    for (Leak other : lifecycle.leaks(state.getPath())) {
      if (other.creation() != creation
          && ASTHelpers.getStartPosition(other.creation()) < ASTHelpers.getStartPosition(creation)
          && within(other.creation(), whole.getLeaf(), state)) {
        return Description.NO_MATCH;
      }
    }
    VariableTree local = whole.getParentPath().getLeaf() instanceof VariableTree variable
            && ASTHelpers.getSymbol(variable) instanceof VarSymbol symbol
            && symbol.getKind() == ElementKind.LOCAL_VARIABLE
        ? variable
        : null;
    String arena = local == null ? "The arena created here" : "Arena '" + local.getName() + "'";
    String source = quoted(creation, state);
    String created = source == null ? "" : " (" + source + ")";
    MethodInvocationTree owner = owningCall(whole, local, state);
    String ownerSource = owner == null ? null : quoted(owner, state);
    String consequence = consequence(creation, state);
    String message =
        arena + created
            + (owner == null ? "" : " is owned by the result of '" + (ownerSource == null ? "the call" : ownerSource) + "', which")
            + (leak.get().closedSomewhere()
                ? " is not closed on every path: it stays open " + where(leak.get(), state)
                : " is never closed, returned, or handed to an owner")
            + "; " + consequence
            + (owner == null
                ? ". Open it in a try-with-resources statement, or close it in a finally block"
                : ". Open that result in a try-with-resources statement, or close it in a finally block");
    Description.Builder description = buildDescription(creation).setMessage(message);
    if (local != null) {
      tryWithResources(local, state).ifPresent(description::addFix);
    }
    return description.build();
  }

  /**
   * The call whose {@code AutoCloseable} result owns the arena created at {@code whole}: the call
   * the creation is an argument of ({@code map(file, Arena.ofConfined())}), or the first that is
   * given the {@code local} it initialises; null when there is none.
   */
  private @Nullable MethodInvocationTree owningCall(
      TreePath whole, @Nullable VariableTree local, VisitorState state) {
    if (whole.getParentPath().getLeaf() instanceof MethodInvocationTree call
        && call.getArguments().contains(whole.getLeaf())) {
      return analysis(state).types().ownsArenasGiven(ASTHelpers.getType(call), state) ? call : null;
    }
    TreePath code = local == null ? null : whole.getParentPath().getParentPath();
    if (code == null) {
      return null;
    }
    Symbol arena = ASTHelpers.getSymbol(local);
    MethodInvocationTree[] owner = {null};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        if (owner[0] == null
            && call.getArguments().stream().anyMatch(a -> ASTHelpers.getSymbol(ASTHelpers.stripParentheses(a)) == arena)
            && analysis(state).types().ownsArenasGiven(ASTHelpers.getType(call), state)) {
          owner[0] = call;
        }
        return super.visitMethodInvocation(call, unused);
      }
    }.scan(code, null);
    return owner[0];
  }

  /** What leaving this arena open costs, by its kind. */
  private String consequence(ExpressionTree creation, VisitorState state) {
    ArenaKind kind = analysis(state).kindOfCreation(creation);
    if (kind.isPooled()) {
      return "the lease never returns to its pool";
    }
    return switch (kind) {
      case CONFINED, SHARED -> "its native memory stays allocated until the process exits";
      case RUNTIME_CONFINED, RUNTIME_SHARED ->
          "it keeps its memory until the garbage collector finds it unreachable (the runtime's leak"
              + " detector then reports it)";
      default -> "its memory is not released until it is closed";
    };
  }

  private static String where(Leak leak, VisitorState state) {
    Tree at = leak.at();
    if (leak.exit() == ArenaLifecycle.Exit.EXCEPTION) {
      if (at == null) {
        return "if an exception leaves the method";
      }
      String what = at instanceof com.sun.source.tree.ThrowTree ? "the throw" : "the call";
      String source = quoted(at, state);
      String shown = source == null ? "" : " (" + source + ")";
      return "if " + what + " at line " + line(at, state) + shown + " throws";
    }
    return at == null
        ? "when the method completes"
        : "when the method returns at line " + line(at, state);
  }


  /**
   * {@code Arena a = Arena.ofConfined(); ...; a.close();} becomes {@code try (Arena a =
   * Arena.ofConfined()) { ... }} when the declaration and its only {@code close()} are statements
   * of one block, or (never closed) the arena lives to the end of the block; and when the arena is
   * only borrowed meanwhile (never reassigned, returned, stored or captured), and no local declared
   * between them is used after the close.
   */
  private Optional<SuggestedFix> tryWithResources(VariableTree declaration, VisitorState state) {
    TreePath declarationPath = analysis(state).pathOf(declaration);
    if (declarationPath == null || !(declarationPath.getParentPath().getLeaf() instanceof BlockTree block)) {
      return Optional.empty();
    }
    Symbol arena = ASTHelpers.getSymbol(declaration);
    List<? extends StatementTree> statements = block.getStatements();
    int start = statements.indexOf(declaration);
    TreePath body = declarationPath.getParentPath();
    int end = statements.size();
    for (int i = start + 1; i < statements.size(); i++) {
      if (isCloseOf(statements.get(i), arena)) {
        end = i;
        break;
      }
    }
    if (end == statements.size() && closesAnywhere(body, arena)) {
      return Optional.empty(); // closed, but not by a statement of this block
    }
    for (int i = start + 1; i < statements.size(); i++) {
      TreePath statement = new TreePath(body, statements.get(i));
      boolean ok =
          i < end
              ? onlyBorrows(statement, arena, state) && !closesAnywhere(statement, arena) // no double close
              : i == end || !mentions(statement, List.of(arena));
      if (!ok) {
        return Optional.empty();
      }
    }
    String source = state.getSourceForNode(declaration);
    if (source == null || !source.endsWith(";")) {
      return Optional.empty();
    }
    SuggestedFix.Builder fix = SuggestedFix.builder();
    // Locals of the new try block that code after it uses are declared before it.
    StringBuilder hoisted = new StringBuilder();
    for (int i = start + 1; i < end; i++) {
      if (!(statements.get(i) instanceof VariableTree local)) {
        continue;
      }
      boolean usedAfter = false;
      for (int j = end + 1; j < statements.size(); j++) {
        usedAfter |= mentions(new TreePath(body, statements.get(j)), List.of(ASTHelpers.getSymbol(local)));
      }
      if (!usedAfter) {
        continue;
      }
      String type =
          ASTHelpers.hasImplicitType(local, state)
              ? SuggestedFixes.prettyType(state, fix, ASTHelpers.getType(local))
              : state.getSourceForNode(local.getType());
      hoisted.append(type).append(' ').append(local.getName()).append(";\n");
      if (local.getInitializer() == null) {
        fix.delete(local);
      } else {
        fix.replace(local, local.getName() + " = " + state.getSourceForNode(local.getInitializer()) + ";");
      }
    }
    fix.replace(declaration, hoisted + "try (" + source.substring(0, source.length() - 1) + ") {");
    if (end == statements.size()) {
      fix.postfixWith(statements.getLast(), "\n}");
    } else {
      fix.replace(statements.get(end), "}");
    }
    return Optional.of(fix.build());
  }

  private static boolean isCloseOf(StatementTree statement, Symbol arena) {
    return statement instanceof ExpressionStatementTree expression
        && expression.getExpression() instanceof MethodInvocationTree call
        && call.getArguments().isEmpty()
        && call.getMethodSelect() instanceof MemberSelectTree select
        && select.getIdentifier().contentEquals("close")
        && ASTHelpers.getSymbol(ASTHelpers.stripParentheses(select.getExpression())) == arena;
  }

  private static boolean closesAnywhere(TreePath body, Symbol arena) {
    boolean[] found = {false};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        found[0] |=
            call.getMethodSelect() instanceof MemberSelectTree select
                && select.getIdentifier().contentEquals("close")
                && ASTHelpers.getSymbol(ASTHelpers.stripParentheses(select.getExpression())) == arena;
        return super.visitMethodInvocation(call, unused);
      }
    }.scan(body, null);
    return found[0];
  }

  /**
   * Whether {@code statement} only borrows {@code arena}: every mention is the receiver of a call
   * or an argument of a method call (not a constructor, nor a call whose result owns it, which
   * would take it over), outside lambdas and classes, and it is never assigned.
   */
  private boolean onlyBorrows(TreePath statement, Symbol arena, VisitorState state) {
    boolean[] ok = {true};
    new TreePathScanner<Void, Void>() {
      private int captured;

      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        if (ASTHelpers.getSymbol(identifier) != arena) {
          return null;
        }
        TreePath path = getCurrentPath();
        Tree parent = path.getParentPath().getLeaf();
        boolean receiver = parent instanceof MemberSelectTree;
        boolean argument =
            parent instanceof MethodInvocationTree call
                && call.getArguments().contains(identifier)
                && !analysis(state).types().ownsArenasGiven(ASTHelpers.getType(call), state);
        ok[0] &= captured == 0 && (receiver || argument);
        return null;
      }

      @Override
      public Void visitAssignment(AssignmentTree assignment, Void unused) {
        if (ASTHelpers.getSymbol(assignment.getVariable()) == arena) {
          ok[0] = false;
        }
        return super.visitAssignment(assignment, unused);
      }

      @Override
      public Void scan(Tree tree, Void unused) {
        boolean capturing =
            tree instanceof LambdaExpressionTree || tree instanceof MemberReferenceTree || tree instanceof ClassTree;
        captured += capturing ? 1 : 0;
        super.scan(tree, unused);
        captured -= capturing ? 1 : 0;
        return null;
      }
    }.scan(statement, null);
    return ok[0];
  }

  private static boolean mentions(TreePath statement, List<Symbol> symbols) {
    boolean[] found = {false};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        found[0] |= symbols.contains(ASTHelpers.getSymbol(identifier));
        return null;
      }
    }.scan(statement, null);
    return found[0];
  }

  // ---------------------------------------------------------------------------------------------
  // arena fields

  /**
   * An instance field that its class fills with an arena it creates, and that no code of the
   * compilation unit closes or hands on (passes, returns, aliases). A field given its arena by a
   * caller (a constructor parameter) is not reported: the caller may close it.
   */
  @Override
  protected Description matchField(VariableTree tree, VarSymbol field, VisitorState state) {
    if (field.isStatic()
        || !analysis(state).types().isArena(field.type, state)
        || lifetimes.isLongLivedField(field, state)) {
      return Description.NO_MATCH;
    }
    ArenaLifecycle lifecycle = analysis(state).lifecycle();
    CompilationUnitTree unit = state.getPath().getCompilationUnit();
    Tree[] created = {
      tree.getInitializer() != null && lifecycle.isClosableCreation(ASTHelpers.stripParentheses(tree.getInitializer()))
          ? tree.getInitializer()
          : null
    };
    boolean[] released = {false};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitAssignment(AssignmentTree assignment, Void unused) {
        if (ASTHelpers.getSymbol(assignment.getVariable()) == field && created[0] == null) {
          TreePath value = new TreePath(getCurrentPath(), assignment.getExpression());
          if (lifecycle.isClosableCreation(ASTHelpers.stripParentheses(assignment.getExpression()))
              || !lifecycle.creationsOf(value).isEmpty()) {
            created[0] = assignment;
          }
        }
        scan(assignment.getExpression(), unused); // the target is not a use of the field
        return null;
      }

      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        if (ASTHelpers.getSymbol(identifier) == field) {
          released[0] |= releases(getCurrentPath());
        }
        return null;
      }

      @Override
      public Void visitMemberSelect(MemberSelectTree select, Void unused) {
        if (ASTHelpers.getSymbol(select) == field) {
          released[0] |= releases(getCurrentPath());
          return null;
        }
        return super.visitMemberSelect(select, unused);
      }
    }.scan(unit, null);
    if (created[0] == null || released[0]) {
      return Description.NO_MATCH;
    }
    String source = quoted(created[0], state);
    return buildDescription(tree)
        .setMessage(
            "Arena field '" + field.getSimpleName() + "' holds an arena this class creates"
                + (source == null ? "" : " (" + source + ")")
                + ", and the class never closes it; its memory stays allocated until the process"
                + " exits. Close it in a close() method (and make the class AutoCloseable), or"
                + " keep the arena in a try-with-resources block where it is used")
        .build();
  }

  /**
   * Whether this mention of a field may close it or hand it to code that does: anything but
   * calling a method other than {@code close()} on it, or comparing it.
   */
  private static boolean releases(TreePath mention) {
    TreePath parent = mention.getParentPath();
    while (parent.getLeaf() instanceof ParenthesizedTree) {
      parent = parent.getParentPath();
    }
    if (parent.getLeaf() instanceof MemberSelectTree select) {
      return select.getIdentifier().contentEquals("close");
    }
    if (parent.getLeaf() instanceof BinaryTree) {
      return false; // arena != null
    }
    return !(parent.getLeaf() instanceof AssignmentTree assignment && assignment.getVariable() == mention.getLeaf());
  }
}
