package dev.arenaguard.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker.ClassTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.VariableTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import dev.arenaguard.checker.core.ArenaAnalysis;
import dev.arenaguard.checker.core.ArenaTypes;
import dev.arenaguard.checker.model.MethodModel;
import java.util.List;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * SPEC §2.6, §2.0.8–2.0.9: {@code @ArenaScoped} and {@code @OutlivesArena} where they mean
 * nothing or contradict each other, and overrides that weaken their parent's contract.
 */
@BugPattern(
    summary = "@ArenaScoped or @OutlivesArena is placed where it cannot hold",
    severity = ERROR,
    linkType = CUSTOM,
    link = ArenaGuardChecker.DOCS + "ArenaAnnotationMisuse.md")
public final class ArenaAnnotationMisuse extends ArenaGuardChecker
    implements MethodTreeMatcher, VariableTreeMatcher, ClassTreeMatcher {

  /** For {@code ServiceLoader}, which requires it; Error Prone itself uses the flags constructor. */
  public ArenaAnnotationMisuse() {
    this(ErrorProneFlags.empty());
  }

  public ArenaAnnotationMisuse(ErrorProneFlags flags) {
    super(flags);
  }

  @Override
  public Description matchClass(ClassTree tree, VisitorState state) {
    return guard(tree, state, () -> checkClass(tree, state));
  }

  private Description checkClass(ClassTree tree, VisitorState state) {
    Description both = both(tree.getModifiers(), "class", state);
    if (both != Description.NO_MATCH) {
      return both;
    }
    AnnotationTree scoped = annotation(tree.getModifiers(), ArenaTypes.ARENA_SCOPED);
    if (scoped != null && ASTHelpers.getSymbol(tree).getKind() == ElementKind.ENUM) {
      return misuse(scoped, "@ArenaScoped on an enum: enum constants are static and outlive every arena", state);
    }
    return Description.NO_MATCH;
  }

  @Override
  public Description matchMethod(MethodTree tree, VisitorState state) {
    return guard(tree, state, () -> checkMethod(tree, state));
  }

  private Description checkMethod(MethodTree tree, VisitorState state) {
    MethodSymbol method = ASTHelpers.getSymbol(tree);
    if (method == null || (method.flags() & Flags.GENERATED_MEMBER) != 0) {
      return Description.NO_MATCH;
    }
    Description both = both(tree.getModifiers(), "method", state);
    if (both != Description.NO_MATCH) {
      return both;
    }
    AnnotationTree scoped = annotation(tree.getModifiers(), ArenaTypes.ARENA_SCOPED);
    if (scoped != null && !method.isConstructor() && method.getReturnType().isPrimitiveOrVoid()) {
      return misuse(
          scoped,
          "@ArenaScoped on a method returning " + method.getReturnType() + ": only a reference can be arena-backed",
          state);
    }
    if (scoped == null
        && tree.getParameters().stream()
            .noneMatch(p -> annotation(p.getModifiers(), ArenaTypes.OUTLIVES_ARENA) != null)) {
      return Description.NO_MATCH; // no contract here to weaken its parent's
    }
    ArenaAnalysis analysis = analysis(state);
    for (MethodSymbol overridden : ASTHelpers.findSuperMethods(method, state.getTypes())) {
      MethodModel parent = analysis.model(overridden);
      if (scoped != null && !ArenaTypes.hasArenaScoped(overridden) && !parent.scopedResult() && !parent.derivesFromReceiver()) {
        return misuse(
            scoped,
            "'" + method.getSimpleName() + "' is declared @ArenaScoped but overrides "
                + overridden.owner.getSimpleName() + "." + overridden.getSimpleName()
                + ", whose result is not arena-scoped: callers of the parent may keep the result past the arena."
                + " Return a long-lived value instead, or annotate the parent method too",
            state);
      }
      List<VarSymbol> parameters = method.getParameters();
      for (int i = 0; i < parameters.size() && i < tree.getParameters().size(); i++) {
        AnnotationTree outlives = annotation(tree.getParameters().get(i).getModifiers(), ArenaTypes.OUTLIVES_ARENA);
        if (outlives != null
            && !ArenaTypes.hasOutlivesArena(overridden.getParameters().get(i))
            && !MethodModel.has(parent.outlivesArenaParams(), i, parameters.size(), overridden.isVarArgs())) {
          return misuse(
              outlives,
              "parameter '" + parameters.get(i).getSimpleName() + "' is declared @OutlivesArena but "
                  + overridden.owner.getSimpleName() + "." + overridden.getSimpleName()
                  + " only borrows it: callers of the parent may pass arena-backed values. Borrow it here"
                  + " too (keep a copy), or declare the parent's parameter @OutlivesArena",
              state);
        }
      }
    }
    return Description.NO_MATCH;
  }

  @Override
  public Description matchVariable(VariableTree tree, VisitorState state) {
    return guard(tree, state, () -> checkVariable(tree, state));
  }

  private Description checkVariable(VariableTree tree, VisitorState state) {
    VarSymbol variable = ASTHelpers.getSymbol(tree);
    if (variable == null) {
      return Description.NO_MATCH;
    }
    String what =
        switch (variable.getKind()) {
          case FIELD -> variable.isStatic() ? "static field" : "field";
          case PARAMETER -> "parameter";
          default -> "local variable";
        };
    Description both = both(tree.getModifiers(), what, state);
    if (both != Description.NO_MATCH) {
      return both;
    }
    AnnotationTree scoped = annotation(tree.getModifiers(), ArenaTypes.ARENA_SCOPED);
    if (scoped != null && variable.getKind() == ElementKind.FIELD && variable.isStatic()) {
      return misuse(scoped, "@ArenaScoped on static field '" + variable.getSimpleName() + "': a static outlives every arena", state);
    }
    if (scoped != null && variable.type.isPrimitive()) {
      return misuse(
          scoped,
          "@ArenaScoped on " + what + " '" + variable.getSimpleName() + "' of primitive type " + variable.type
              + ": a primitive is a copy, never arena-backed",
          state);
    }
    AnnotationTree outlives = annotation(tree.getModifiers(), ArenaTypes.OUTLIVES_ARENA);
    if (outlives != null && what.equals("local variable")) {
      return misuse(
          outlives,
          "@OutlivesArena on local variable '" + variable.getSimpleName()
              + "': a local lives only during the call; @OutlivesArena states what a parameter, field,"
              + " method result or class keeps",
          state);
    }
    return Description.NO_MATCH;
  }

  private Description both(ModifiersTree modifiers, String element, VisitorState state) {
    AnnotationTree scoped = annotation(modifiers, ArenaTypes.ARENA_SCOPED);
    AnnotationTree outlives = annotation(modifiers, ArenaTypes.OUTLIVES_ARENA);
    if (scoped == null || outlives == null) {
      return Description.NO_MATCH;
    }
    return misuse(
        outlives,
        "@ArenaScoped and @OutlivesArena on the same " + element
            + ": a value cannot both live no longer than its arena and outlive every arena. Keep the one"
            + " that is true",
        state);
  }

  private Description misuse(AnnotationTree annotation, String message, VisitorState state) {
    return buildDescription(annotation)
        .setMessage(message)
        .addFix(SuggestedFix.delete(annotation))
        .build();
  }

  private static @Nullable AnnotationTree annotation(ModifiersTree modifiers, String name) {
    for (AnnotationTree annotation : modifiers.getAnnotations()) {
      Symbol symbol = ASTHelpers.getSymbol(annotation.getAnnotationType());
      if (symbol != null && symbol.getQualifiedName().contentEquals(name)) {
        return annotation;
      }
    }
    return null;
  }

}
