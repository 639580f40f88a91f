package dev.arenaguard.checker.core;

import com.google.errorprone.VisitorState;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Type;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * How long code and objects live (SPEC §1, §2.0.5, §2.3): repeated versus one-time code,
 * long-lived owners, and what a type says about the threads that use it. Placement and thread
 * checks build on these; {@link ArenaAnalysis} answers what the values are.
 */
public final class Lifetimes {
  /** Annotations by which a type says other threads use it (SPEC §2.3). */
  public static final String[] THREAD_SAFE_ANNOTATIONS = {
    "com.google.errorprone.annotations.ThreadSafe", "net.jcip.annotations.ThreadSafe"
  };

  private final ArenaGuardConfig config;

  public Lifetimes(ArenaGuardConfig config) {
    this.config = config;
  }

  /**
   * Whether the code at {@code path} runs once per class: a static initializer or a static
   * field's initializer, and not inside a lambda or a local or anonymous class there. Any other
   * code (a method, a constructor, a lambda, an instance initializer) runs repeatedly (§2.0.5).
   */
  public static boolean isOneTimeCode(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree || leaf instanceof LambdaExpressionTree) {
        return false;
      }
      TreePath parent = p.getParentPath();
      if (parent != null && parent.getLeaf() instanceof ClassTree) {
        if (leaf instanceof BlockTree block) {
          return block.isStatic();
        }
        if (leaf instanceof VariableTree variable) {
          return variable.getModifiers().getFlags().contains(javax.lang.model.element.Modifier.STATIC);
        }
        return false;
      }
    }
    return false;
  }

  /** Whether code at {@code path} runs repeatedly: the negation of {@link #isOneTimeCode}. */
  public static boolean isRepeatedCode(TreePath path) {
    return !isOneTimeCode(path);
  }

  /**
   * Whether a field is held by a long-lived owner: a static field, a field of a long-lived class
   * ({@link #isLongLivedClass}), or a {@code ThreadLocal}.
   */
  public boolean isLongLivedField(Symbol field, VisitorState state) {
    if (field.getKind() != ElementKind.FIELD) {
      return false;
    }
    if (field.isStatic()) {
      return true;
    }
    Type threadLocal = state.getTypeFromString("java.lang.ThreadLocal");
    if (threadLocal != null && state.getTypes().isSubtype(state.getTypes().erasure(field.type), state.getTypes().erasure(threadLocal))) {
      return true;
    }
    return field.owner instanceof ClassSymbol owner && isLongLivedClass(owner);
  }

  /**
   * Whether instances of {@code type} live as long as the program: an enum, or a class
   * annotated with a long-lived-owner annotation ({@code @OutlivesArena}, {@code @Singleton},
   * Spring stereotypes, and those configured with {@code LongLivedOwnerAnnotations}).
   */
  public boolean isLongLivedClass(ClassSymbol type) {
    if (type.getKind() == ElementKind.ENUM) {
      return true;
    }
    for (String annotation : config.longLivedOwnerAnnotations()) {
      if (ArenaTypes.hasAnnotation(type, annotation)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code type} states it is used by one thread ({@code @NotThreadSafe} or configured). */
  public boolean statesConfinement(ClassSymbol type) {
    for (String annotation : config.confinementAnnotations()) {
      if (ArenaTypes.hasAnnotation(type, annotation)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code type} is declared for use by many threads ({@code @ThreadSafe}). */
  public static boolean isDeclaredThreadSafe(ClassSymbol type) {
    for (String annotation : THREAD_SAFE_ANNOTATIONS) {
      if (ArenaTypes.hasAnnotation(type, annotation)) {
        return true;
      }
    }
    return false;
  }

  /** The class whose field {@code field} is; null for a local. */
  public static @Nullable ClassSymbol ownerClass(Symbol field) {
    return field.owner instanceof ClassSymbol c ? c : null;
  }
}
