package dev.arenaguard.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

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
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import dev.arenaguard.checker.core.ArenaAnalysis;
import dev.arenaguard.checker.core.ArenaKind;
import dev.arenaguard.checker.core.ArenaValue;
import dev.arenaguard.checker.core.Backing;
import dev.arenaguard.checker.core.Call;
import dev.arenaguard.checker.core.Lifetimes;
import dev.arenaguard.checker.core.Threads;
import dev.arenaguard.checker.core.UnitFacts.LocalArena;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Modifier;
import org.jspecify.annotations.Nullable;

/**
 * SPEC §2.3: a confined arena, or memory from it, is handed to another thread — or kept in a
 * field of a type that other threads are expected to use.
 */
@BugPattern(
    summary = "A confined arena, or memory from it, is used by another thread",
    severity = ERROR,
    linkType = CUSTOM,
    link = ArenaGuardChecker.DOCS + "ArenaThreadConfinement.md")
public final class ArenaThreadConfinement extends ArenaGuardChecker
    implements MethodInvocationTreeMatcher, NewClassTreeMatcher, VariableTreeMatcher {

  private final Lifetimes lifetimes;

  /** The unit whose reported handoffs {@link #reportedArenas} holds. */
  private @Nullable CompilationUnitTree reportedIn;

  /** The confined arenas (fields and locals) whose handoff to another thread this unit reports. */
  private Set<Symbol> reportedArenas = Set.of();

  /** For {@code ServiceLoader}, which requires it; Error Prone itself uses the flags constructor. */
  public ArenaThreadConfinement() {
    this(ErrorProneFlags.empty());
  }

  public ArenaThreadConfinement(ErrorProneFlags flags) {
    super(flags);
    this.lifetimes = new Lifetimes(config);
  }

  // ---------------------------------------------------------------------------------------------
  // handoffs

  @Override
  protected Description matchCall(ExpressionTree call, VisitorState state) {
    ArenaAnalysis analysis = analysis(state);
    for (Threads.Handoff handoff : Threads.handoffsAt(state.getPath(), analysis, state)) {
      ArenaValue confined =
          Threads.fromConfinedArenas(Threads.handedValue(handoff, state.getPath(), analysis, state));
      Backing backing = confined.backings().stream().findFirst().orElse(null);
      if (backing == null) {
        continue;
      }
      Optional<SuggestedFix> fix = sharedArenaFix(backing, analysis, state);
      String advice =
          fix.isPresent()
              ? "Create the arena with " + fixedFactory(backing, analysis) + " (a shared arena) and await the task"
                  + " inside the arena's scope, or copy the data out before handing it over"
              : backing.arenaKind() == ArenaKind.POOLED_CONFINED
                  ? "Acquire the arena from a shared pool (ArenaPool.ofShared(..)) and await the task inside"
                      + " the arena's scope, or copy the data out before handing it over"
                  : "Use a shared arena (Arena.ofShared(), BumpArena.ofShared(..)) and await the task inside"
                      + " the arena's scope, or copy the data out before handing it over";
      Description.Builder description =
          buildDescription(call)
              .setMessage(
                  describe(handoff.handed(), backing, state)
                      + " is handed to another thread by "
                      + handoff.how()
                      + "; "
                      + arenaName(backing)
                      + " is a confined arena: only the thread that created it may use it or its memory"
                      + " (any other thread gets WrongThreadException), whether or not the task is awaited. "
                      + advice);
      fix.ifPresent(description::addFix);
      return description.build();
    }
    return Description.NO_MATCH;
  }

  private static String describe(ExpressionTree handed, Backing backing, VisitorState state) {
    String source = quoted(handed, state);
    return "'" + (source == null ? "this task" : source) + "' (" + backing.origin() + ")";
  }

  private static String arenaName(Backing backing) {
    return backing.arena() == null ? "its arena" : "'" + backing.arena().getSimpleName() + "'";
  }

  /**
   * Creates a local confined arena as a shared one: {@code Arena.ofConfined()} becomes {@code
   * Arena.ofShared()}, {@code BumpArena.ofConfined(name)} becomes {@code BumpArena.ofShared(name)}.
   * Offered only for a local created once by such a factory.
   */
  private Optional<SuggestedFix> sharedArenaFix(Backing backing, ArenaAnalysis analysis, VisitorState state) {
    MethodInvocationTree creation = confinedCreation(backing, analysis);
    return creation == null
        ? Optional.empty()
        : Optional.of(SuggestedFixes.renameMethodInvocation(creation, "ofShared", state));
  }

  private static String fixedFactory(Backing backing, ArenaAnalysis analysis) {
    MethodInvocationTree creation = confinedCreation(backing, analysis);
    MethodSymbol factory = creation == null ? null : ASTHelpers.getSymbol(creation);
    return factory == null ? "ofShared" : factory.owner.getSimpleName() + ".ofShared(..)";
  }

  private static @Nullable MethodInvocationTree confinedCreation(Backing backing, ArenaAnalysis analysis) {
    Symbol arena = backing.arena();
    LocalArena local = arena == null ? null : analysis.facts().localArena(arena);
    if (local == null
        || local.aliasOf() != null
        || !local.kind().isConfined()
        || !(analysis.declaration(arena) instanceof VariableTree declaration)
        || !(ASTHelpers.stripParentheses(declaration.getInitializer()) instanceof MethodInvocationTree creation)) {
      return null;
    }
    MethodSymbol factory = ASTHelpers.getSymbol(creation);
    if (factory == null || !factory.isStatic() || !factory.getSimpleName().contentEquals("ofConfined")) {
      return null;
    }
    for (Symbol shared : factory.owner.members().getSymbolsByName(factory.name.table.fromString("ofShared"))) {
      if (shared instanceof MethodSymbol method
          && method.isStatic()
          && method.getParameters().size() == factory.getParameters().size()) {
        return creation;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // confined arenas in fields of types other threads reach

  @Override
  protected Description matchField(VariableTree tree, VarSymbol field, VisitorState state) {
    ArenaAnalysis analysis = analysis(state);
    if (!analysis.types().isArena(field.type, state)
        || !analysis.facts().kindOfField(field).isConfined()
        || !(field.owner instanceof ClassSymbol owner)
        || lifetimes.statesConfinement(owner)
        || !(state.getPath().getParentPath().getLeaf() instanceof ClassTree declaringClass)) {
      return Description.NO_MATCH;
    }
    for (ExpressionTree write : analysis.facts().writesOf(field)) {
      if (!analysis.kindOfCreation(write).isConfined()) {
        return Description.NO_MATCH; // also given arenas from elsewhere: the field is not only confined
      }
    }
    String reached;
    if (Lifetimes.isDeclaredThreadSafe(owner)) {
      reached = "'" + owner.getSimpleName() + "' is declared @ThreadSafe";
    } else if (isEffectivelyPublic(owner) && usedByApi(declaringClass, field)) {
      reached = "'" + owner.getSimpleName() + "' is a public type whose public methods use it, which callers may run on any thread";
    } else {
      return Description.NO_MATCH; // a type used by one thread
    }
    if (reportedHandoffs(state, analysis).contains(field)) {
      return Description.NO_MATCH; // reported where the code hands it over (SPEC §2.3)
    }
    return buildDescription(tree)
        .setMessage(
            "Arena field '"
                + field.getSimpleName()
                + "' holds a confined arena, but "
                + reached
                + ": only the thread that created a confined arena may use it or its memory (any other"
                + " thread gets WrongThreadException). Create it as a shared arena (Arena.ofShared(),"
                + " BumpArena.ofShared(..)), or state that one thread uses the type (@NotThreadSafe or a"
                + " configured confinement annotation)")
        .build();
  }

  private static boolean isEffectivelyPublic(ClassSymbol type) {
    for (Symbol s = type; s instanceof ClassSymbol c; s = c.owner) {
      if (!c.getModifiers().contains(Modifier.PUBLIC) || c.isDirectlyOrIndirectlyLocal()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the class's API uses the field: a public or protected method (not a constructor,
   * which runs on the creating thread, nor {@code main}, the program's own thread) uses it, or
   * calls a method of the class that does.
   */
  private static boolean usedByApi(ClassTree declaringClass, VarSymbol field) {
    for (MethodSymbol method : Threads.usersOf(declaringClass, Set.of(field))) {
      Set<Modifier> modifiers = method.getModifiers();
      boolean api = modifiers.contains(Modifier.PUBLIC) || modifiers.contains(Modifier.PROTECTED);
      boolean main = method.isStatic() && method.getSimpleName().contentEquals("main");
      if (api && !main && !method.isConstructor()) {
        return true;
      }
    }
    return false;
  }

  /** The arenas of this unit whose handoff to another thread this check reports at the handoff. */
  private Set<Symbol> reportedHandoffs(VisitorState state, ArenaAnalysis analysis) {
    CompilationUnitTree unit = state.getPath().getCompilationUnit();
    if (reportedIn != unit) {
      Set<Symbol> arenas = new HashSet<>();
      Call.forEachUnder(
          new TreePath(unit),
          call -> {
            for (Threads.Handoff handoff : Threads.handoffsAt(call, analysis, state)) {
              for (Backing b : Threads.fromConfinedArenas(Threads.handedValue(handoff, call, analysis, state)).backings()) {
                if (b.arena() != null) {
                  arenas.add(b.arena());
                }
              }
            }
          });
      reportedIn = unit;
      reportedArenas = arenas;
    }
    return reportedArenas;
  }
}
