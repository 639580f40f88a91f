package dev.arenaguard.checker;

import com.google.errorprone.BugPattern.SeverityLevel;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.CompilationUnitTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.util.Context;
import dev.arenaguard.checker.baseline.BaselineRun;
import dev.arenaguard.checker.core.ArenaAnalysis;
import dev.arenaguard.checker.core.ArenaGuardConfig;
import dev.arenaguard.checker.core.UnitFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * The base of every arena-guard check: configuration, the shared analysis, configuration errors
 * reported once per compilation, and a guard that turns an internal failure into a diagnostic
 * instead of a javac crash.
 */
public abstract class ArenaGuardChecker extends BugChecker implements CompilationUnitTreeMatcher {

  /** Where the check documentation pages live; {@code linkType = CUSTOM} links point here. */
  public static final String DOCS = "https://github.com/arena-guard/arena-guard/blob/main/docs/checks/";

  /** Set (to {@code true}) in tests: internal errors propagate so that tests fail on them. */
  public static final String RETHROW_PROPERTY = "arenaguard.rethrowInternalErrors";

  private static final Context.Key<ConfigurationReported> REPORTED = new Context.Key<>();

  private static final class ConfigurationReported {}

  protected final ArenaGuardConfig config;

  protected ArenaGuardChecker(ErrorProneFlags flags) {
    this.config = ArenaGuardConfig.from(flags);
  }

  /** The shared analysis of the compilation unit being checked. */
  protected final ArenaAnalysis analysis(VisitorState state) {
    return ArenaAnalysis.of(state, config);
  }

  /**
   * Reports configuration mistakes (options, stub files, stub methods that do not exist) once
   * per compilation, whichever check runs first, as errors located at the first compilation unit.
   */
  @Override
  public final Description matchCompilationUnit(CompilationUnitTree tree, VisitorState state) {
    BaselineRun.of(state, config.baseline()).checking(tree);
    if (state.context.get(REPORTED) != null) {
      return Description.NO_MATCH;
    }
    state.context.put(REPORTED, new ConfigurationReported());
    List<String> errors = new ArrayList<>(config.errors());
    try {
      errors.addAll(config.userModels().unknownMethods(state)); // built-ins: tested
    } catch (RuntimeException e) {
      rethrowInTests(e);
      errors.add("cannot validate stub files: " + e);
    }
    for (String error : errors) {
      state.reportMatch(
          buildDescription(tree)
              .setMessage("invalid arena-guard configuration: " + error)
              .overrideSeverity(SeverityLevel.ERROR)
              .build());
    }
    return Description.NO_MATCH;
  }

  /**
   * A method call, for a check that also implements {@code MethodInvocationTreeMatcher}: judged
   * like a constructor call, by {@link #matchCall}, unless the check overrides this.
   */
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    return guard(tree, state, () -> callInArenaCode(tree, state));
  }

  /**
   * A constructor call, for a check that also implements {@code NewClassTreeMatcher}: judged like a
   * method call, by {@link #matchCall}, unless the check overrides this.
   */
  public Description matchNewClass(NewClassTree tree, VisitorState state) {
    return guard(tree, state, () -> callInArenaCode(tree, state));
  }

  /**
   * {@link #matchCall}, in a unit that mentions arena memory: in one that does not, no value is
   * arena memory, and no check needs to look the call up in the library models.
   */
  private Description callInArenaCode(ExpressionTree call, VisitorState state) {
    return analysis(state).facts().mentionsArenaMemory() ? matchCall(call, state) : Description.NO_MATCH;
  }

  /**
   * A method or constructor call ({@link MethodInvocationTree} or {@link
   * NewClassTree}): the checks that judge calls treat both alike. Runs under {@link #guard}.
   */
  protected Description matchCall(ExpressionTree call, VisitorState state) {
    return Description.NO_MATCH;
  }

  /**
   * A variable, for a check that also implements {@code VariableTreeMatcher}: a field is judged by
   * {@link #matchField}, unless the check overrides this to see every variable.
   */
  public Description matchVariable(VariableTree tree, VisitorState state) {
    return ASTHelpers.getSymbol(tree) instanceof VarSymbol field && field.getKind() == ElementKind.FIELD
        ? guard(tree, state, () -> matchField(tree, field, state))
        : Description.NO_MATCH;
  }

  /** A field's declaration (static or not). Runs under {@link #guard}. */
  protected Description matchField(VariableTree tree, VarSymbol field, VisitorState state) {
    return Description.NO_MATCH;
  }

  /** The line of {@code position} in the unit being checked. */
  protected static long line(int position, VisitorState state) {
    return state.getPath().getCompilationUnit().getLineMap().getLineNumber(position);
  }

  /** The line on which {@code tree} starts. */
  protected static long line(Tree tree, VisitorState state) {
    return line(ASTHelpers.getStartPosition(tree), state);
  }

  /** Whether {@code inner} (false if null) starts within {@code outer}'s source. */
  protected static boolean within(@Nullable Tree inner, Tree outer, VisitorState state) {
    return inner != null && UnitFacts.contains(outer, ASTHelpers.getStartPosition(inner), state);
  }

  /**
   * Runs {@code match}; an internal exception becomes a warning on {@code tree} that says the
   * code was not checked, never a javac crash. Tests set {@link #RETHROW_PROPERTY} to see it.
   */
  protected final Description guard(Tree tree, VisitorState state, Supplier<Description> match) {
    try {
      return BaselineRun.of(state, config.baseline()).report(match.get(), state);
    } catch (RuntimeException | StackOverflowError e) {
      rethrowInTests(e);
      StackTraceElement where = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
      return buildDescription(tree)
          .setMessage(
              "arena-guard could not analyse this code, so it was not checked for "
                  + canonicalName()
                  + " (internal error: "
                  + e
                  + (where == null ? "" : " at " + where)
                  + "). Please report it at https://github.com/arena-guard/arena-guard/issues")
          .overrideSeverity(SeverityLevel.WARNING)
          .build();
    }
  }

  /** How many characters of source a message quotes before it cuts the rest to "...". */
  static final int QUOTED_LENGTH = 60;

  /**
   * The source of {@code tree} as a diagnostic quotes it: on one line, and cut with "..." after
   * {@value #QUOTED_LENGTH} characters; null when the source is not available.
   */
  protected static @Nullable String quoted(Tree tree, VisitorState state) {
    String source = state.getSourceForNode(tree);
    if (source == null) {
      return null;
    }
    // Line breaks before a dot or after a parenthesis go: a.b(\n  x)\n  .c() is a.b(x).c().
    source = source.strip().replaceAll("\\s*\\R\\s*(?=\\.)|(?<=\\()\\s*\\R\\s*", "").replaceAll("\\s+", " ");
    if (source.length() <= QUOTED_LENGTH) {
      return source;
    }
    int cut = QUOTED_LENGTH - 3;
    if (Character.isHighSurrogate(source.charAt(cut - 1))) {
      cut--; // never half a character
    }
    return source.substring(0, cut) + "...";
  }

  private static void rethrowInTests(Throwable e) {
    if (Boolean.getBoolean(RETHROW_PROPERTY)) {
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw (Error) e;
    }
  }
}
