package dev.arenaguard.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

import com.google.common.collect.ImmutableRangeSet;
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
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.tree.JCTree;
import dev.arenaguard.checker.core.Allocations;
import dev.arenaguard.checker.core.Allocations.Allocation;
import dev.arenaguard.checker.core.Allocations.Growth;
import dev.arenaguard.checker.core.ArenaAnalysis;
import dev.arenaguard.checker.core.ArenaKind;
import dev.arenaguard.checker.core.ArenaTypes;
import dev.arenaguard.checker.core.Call;
import dev.arenaguard.checker.core.Lifetimes;
import dev.arenaguard.checker.model.MethodModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * SPEC §2.2: an arena held by a long-lived owner, or one that never frees, is allocated into by
 * code that runs repeatedly, outside a phase that resets it. Reported at each such allocation
 * (the symptom) and at the field holding the arena (the placement).
 */
@BugPattern(
    summary = "A long-lived or never-freeing arena is allocated into by code that runs repeatedly",
    severity = ERROR,
    linkType = CUSTOM,
    link = ArenaGuardChecker.DOCS + "ArenaLongLivedOwner.md")
public final class ArenaLongLivedOwner extends ArenaGuardChecker
    implements MethodInvocationTreeMatcher, NewClassTreeMatcher, VariableTreeMatcher {

  private static final String ADVICE =
      "Allocate per call from a try-with-resources arena (try (Arena a = Arena.ofConfined()) {...}) or a"
          + " fresh Arena.ofAuto(), take a per-request arena from an ArenaPool, or allocate inside a phase()"
          + " of a runtime arena (or reset() it in a finally block)";

  private final Lifetimes lifetimes;

  /** The unit {@link #byCall} and {@link #byOwner} describe. */
  private @Nullable CompilationUnitTree unit;

  private Map<Tree, Growth> byCall = Map.of();
  private Map<Symbol, List<Growth>> byOwner = Map.of();

  /** For {@code ServiceLoader}, which requires it; Error Prone itself uses the flags constructor. */
  public ArenaLongLivedOwner() {
    this(ErrorProneFlags.empty());
  }

  public ArenaLongLivedOwner(ErrorProneFlags flags) {
    super(flags);
    this.lifetimes = new Lifetimes(config);
  }

  // ---------------------------------------------------------------------------------------------
  // the unit's growing allocations, found once

  private void scan(VisitorState state) {
    CompilationUnitTree current = state.getPath().getCompilationUnit();
    if (unit == current) {
      return;
    }
    unit = current;
    byCall = new IdentityHashMap<>();
    byOwner = new LinkedHashMap<>();
    ArenaAnalysis analysis = analysis(state);
    if (!analysis.facts().mentionsArenaMemory()) {
      return;
    }
    ImmutableRangeSet<Integer> suppressed = suppressedRegions(state);
    Call.forEachUnder(
        new TreePath(current),
        call -> {
          for (Allocation allocation : Allocations.at(call, analysis, state)) {
            Growth growth = Allocations.growth(allocation, call, analysis, lifetimes, state);
            if (growth == null) {
              continue;
            }
            byCall.putIfAbsent(call.getLeaf(), growth);
            // A symptom the user suppressed where it is does not make the field's placement a finding.
            if (growth.owner() != null && !suppressed.contains(((JCTree) call.getLeaf()).getStartPosition())) {
              byOwner.computeIfAbsent(growth.owner(), o -> new ArrayList<>()).add(growth);
            }
          }
        });
  }

  // ---------------------------------------------------------------------------------------------
  // the symptom: each allocation

  @Override
  protected Description matchCall(ExpressionTree call, VisitorState state) {
    scan(state);
    Growth growth = byCall.get(call);
    if (growth == null) {
      return Description.NO_MATCH;
    }
    Allocation allocation = growth.allocation();
    String arena = arenaName(growth, state);
    String what =
        allocation.byCallee()
            ? "'" + source(call, state) + "' passes " + arena + " to '" + calleeName(call) + "', which allocates from it"
            : "'" + source(call, state) + "' allocates from " + arena;
    String reset =
        growth.resetNotInFinally() == null
            ? ""
            : " (it is reset at line " + line(growth.resetNotInFinally(), state)
                + ", but not in a finally block around the allocation: an exception skips the reset and the memory stays)";
    Description.Builder description =
        buildDescription(call)
            .setMessage(
                what + ", " + growth.whereOwned() + ", from code that runs repeatedly, outside any phase that resets it: "
                    + consequence(growth) + reset + ". " + ADVICE);
    perCallArenaFix(growth, state).ifPresent(description::addFix);
    freshAutomaticArenaFix(growth, state).ifPresent(description::addFix);
    return description.build();
  }

  private static String arenaName(Growth growth, VisitorState state) {
    if (growth.backing().arena() != null) {
      return "arena '" + growth.backing().arena().getSimpleName() + "'";
    }
    String source = quoted(growth.allocation().arena(), state);
    return source == null ? "the global arena" : "'" + source + "'";
  }

  private static String consequence(Growth growth) {
    return switch (growth.backing().scope()) {
      case AUTO ->
          "an automatic arena frees nothing while the arena itself is reachable, so this memory grows with every"
              + " call until the program ends";
      case GLOBAL -> "the global arena never frees, so this memory grows with every call until the program ends";
      default ->
          "nothing resets the arena (closing it at shutdown does not bound its growth), so its memory grows with"
              + " every call";
    };
  }

  private static String calleeName(Tree call) {
    Call parsed = Call.of(call);
    return parsed == null ? "the callee" : parsed.name();
  }

  private static String source(Tree tree, VisitorState state) {
    String source = quoted(tree, state);
    return source == null ? "this call" : source;
  }


  // ---------------------------------------------------------------------------------------------
  // the placement: the field

  @Override
  protected Description matchField(VariableTree tree, VarSymbol field, VisitorState state) {
    scan(state);
    List<Growth> growths = byOwner.get(field);
    if (growths == null || growths.isEmpty()) {
      return Description.NO_MATCH;
    }
    Growth first = growths.getFirst();
    String lines =
        growths.stream()
            .map(g -> String.valueOf(line(g.allocation().site(), state)))
            .distinct()
            .collect(Collectors.joining(", "));
    return buildDescription(tree)
        .setMessage(
            "'" + field.getSimpleName() + "' keeps " + kind(first.backing().arenaKind()) + " in " + first.whereOwned()
                + ", and code that runs repeatedly allocates into it outside any phase that resets it (line"
                + (lines.contains(",") ? "s " : " ") + lines + "): " + consequence(first) + ". " + ADVICE)
        .build();
  }

  private static String kind(ArenaKind kind) {
    return switch (kind) {
      case AUTO -> "an automatic arena";
      case GLOBAL -> "the global arena";
      case CONFINED -> "a confined arena";
      case SHARED -> "a shared arena";
      case RUNTIME_CONFINED, RUNTIME_SHARED -> "a runtime arena";
      default -> "an arena";
    };
  }

  // ---------------------------------------------------------------------------------------------
  // fixes

  /**
   * Allocates from a per-call confined arena instead, closed by try-with-resources after the
   * allocated memory's last use: offered when the memory is put in a local or passed to a call
   * as a statement, and is used only by borrowing calls (never kept, returned, captured or handed
   * to another thread).
   */
  private Optional<SuggestedFix> perCallArenaFix(Growth growth, VisitorState state) {
    Allocation allocation = growth.allocation();
    if (allocation.byCallee()) {
      return Optional.empty();
    }
    ArenaAnalysis analysis = analysis(state);
    TreePath site = state.getPath();
    TreePath parent = site.getParentPath();
    StatementTree first;
    StatementTree last;
    if (parent.getLeaf() instanceof VariableTree declaration
        && declaration.getInitializer() == site.getLeaf()
        && parent.getParentPath().getLeaf() instanceof BlockTree block) {
      VarSymbol local = ASTHelpers.getSymbol(declaration);
      List<? extends StatementTree> statements = block.getStatements();
      int start = statements.indexOf(declaration);
      int end = start;
      for (int i = start + 1; i < statements.size(); i++) {
        TreePath statement = new TreePath(parent.getParentPath(), statements.get(i));
        Boolean uses = usesOnlyBorrowing(statement, local, analysis, state);
        if (uses == null) {
          return Optional.empty();
        }
        end = uses ? i : end;
      }
      // Locals declared inside the try must not be used after it.
      Set<Symbol> declared = new HashSet<>();
      for (int i = start; i <= end; i++) {
        if (statements.get(i) instanceof VariableTree variable) {
          declared.add(ASTHelpers.getSymbol(variable));
        }
      }
      for (int i = end + 1; i < statements.size() && !declared.isEmpty(); i++) {
        if (mentions(statements.get(i), declared)) {
          end = statements.size() - 1;
        }
      }
      first = declaration;
      last = statements.get(end);
    } else if ((parent.getLeaf() instanceof MethodInvocationTree || parent.getLeaf() instanceof NewClassTree)
        && parent.getParentPath().getLeaf() instanceof ExpressionStatementTree statement
        && parent.getParentPath().getParentPath().getLeaf() instanceof BlockTree
        && borrows(parent.getLeaf(), (ExpressionTree) site.getLeaf(), analysis)) {
      first = statement;
      last = statement;
    } else {
      return Optional.empty();
    }
    String name = freshName(site);
    SuggestedFix.Builder fix = SuggestedFix.builder();
    String arena = SuggestedFixes.qualifyType(state, fix, "java.lang.foreign.Arena");
    return Optional.of(
        fix.prefixWith(first, "try (" + arena + " " + name + " = " + arena + ".ofConfined()) {\n")
            .replace(allocation.arena(), name)
            .postfixWith(last, "\n}")
            .build());
  }

  /**
   * Whether {@code statement} uses {@code local} (true), does not (false), or uses it in a way the
   * per-call arena cannot take (null): anything but the receiver of a call whose result is
   * dropped or is plain data, or an argument a call only borrows.
   */
  private static @Nullable Boolean usesOnlyBorrowing(
      TreePath statement, VarSymbol local, ArenaAnalysis analysis, VisitorState state) {
    boolean[] uses = {false};
    boolean[] kept = {false};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        if (ASTHelpers.getSymbol(identifier) == local) {
          uses[0] = true;
          kept[0] |= !isBorrowed(getCurrentPath(), analysis, state);
        }
        return null;
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree lambda, Void unused) {
        kept[0] |= mentions(lambda, Set.of(local)); // a lambda may run later, or elsewhere
        return null;
      }

      @Override
      public Void visitClass(ClassTree type, Void unused) {
        kept[0] |= mentions(type, Set.of(local));
        return null;
      }
    }.scan(statement, null);
    return kept[0] ? null : uses[0];
  }

  private static boolean isBorrowed(TreePath use, ArenaAnalysis analysis, VisitorState state) {
    TreePath parent = use.getParentPath();
    Tree call = null;
    if (parent.getLeaf() instanceof MemberSelectTree
        && parent.getParentPath().getLeaf() instanceof MethodInvocationTree invocation
        && invocation.getMethodSelect() == parent.getLeaf()) {
      call = invocation; // local.get(..), local.set(..)
      parent = parent.getParentPath();
    } else if ((parent.getLeaf() instanceof MethodInvocationTree || parent.getLeaf() instanceof NewClassTree)
        && borrows(parent.getLeaf(), (ExpressionTree) use.getLeaf(), analysis)) {
      call = parent.getLeaf();
    }
    if (call == null) {
      return false;
    }
    // The call's result must not carry the memory on: dropped, or plain data.
    return parent.getParentPath().getLeaf() instanceof ExpressionStatementTree
        || !analysis.types().mayHoldArenaMemory(ASTHelpers.getType(call), state);
  }

  /** Whether {@code call} only borrows {@code argument}: no model or annotation says it keeps, stores, hands off or returns it. */
  private static boolean borrows(Tree call, ExpressionTree argument, ArenaAnalysis analysis) {
    Call parsed = Call.of(call);
    int index = parsed == null ? -1 : parsed.arguments().indexOf(argument);
    if (index < 0) {
      return false;
    }
    MethodSymbol method = parsed.method();
    MethodModel model = analysis.model(method);
    int arity = method.getParameters().size();
    boolean varargs = method.isVarArgs();
    Symbol parameter = arity == 0 ? null : method.getParameters().get(Math.min(index, arity - 1));
    return !MethodModel.has(model.outlivesArenaParams(), index, arity, varargs)
        && !MethodModel.has(model.storesIntoReceiverParams(), index, arity, varargs)
        && !MethodModel.has(model.handsOffParams(), index, arity, varargs)
        && !MethodModel.has(model.derivesFromParams(), index, arity, varargs)
        && (parameter == null || !ArenaTypes.hasOutlivesArena(parameter));
  }

  private static boolean mentions(Tree tree, Set<? extends Symbol> symbols) {
    Boolean found =
        new TreeScanner<Boolean, Void>() {
          @Override
          public Boolean visitIdentifier(IdentifierTree identifier, Void unused) {
            return symbols.contains(ASTHelpers.getSymbol(identifier));
          }

          @Override
          public Boolean reduce(Boolean a, Boolean b) {
            return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
          }
        }.scan(tree, null);
    return Boolean.TRUE.equals(found);
  }

  /** A name for the per-call arena that nothing in the enclosing class uses. */
  private static String freshName(TreePath site) {
    Tree scope = site.getCompilationUnit();
    for (TreePath p = site; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof ClassTree) {
        scope = p.getLeaf();
        break;
      }
    }
    Set<String> names = new HashSet<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        names.add(identifier.getName().toString());
        return null;
      }

      @Override
      public Void visitVariable(VariableTree variable, Void unused) {
        names.add(variable.getName().toString());
        return super.visitVariable(variable, unused);
      }
    }.scan(scope, null);
    for (String candidate : List.of("arena", "callArena", "scratch", "perCall")) {
      if (!names.contains(candidate)) {
        return candidate;
      }
    }
    for (int i = 2; ; i++) {
      if (!names.contains("arena" + i)) {
        return "arena" + i;
      }
    }
  }

  /**
   * Allocates from a fresh automatic arena per call: the memory stays valid while Java code
   * references it, as before, and the garbage collector frees it afterwards (SPEC §2.0.5).
   * Offered when the long-lived arena is an automatic one named directly at the allocation.
   */
  private Optional<SuggestedFix> freshAutomaticArenaFix(Growth growth, VisitorState state) {
    ExpressionTree arena = growth.allocation().arena();
    if (growth.allocation().byCallee()
        || growth.backing().arenaKind() != ArenaKind.AUTO
        || !(arena instanceof IdentifierTree || arena instanceof MemberSelectTree)) {
      return Optional.empty();
    }
    SuggestedFix.Builder fix = SuggestedFix.builder();
    String type = SuggestedFixes.qualifyType(state, fix, "java.lang.foreign.Arena");
    return Optional.of(fix.replace(arena, type + ".ofAuto()").build());
  }
}
