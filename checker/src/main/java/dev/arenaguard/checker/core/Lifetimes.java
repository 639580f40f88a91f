package dev.arenaguard.checker.core;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  /** The unit whose calls {@link #calls} indexes. */
  private @Nullable CompilationUnitTree indexed;

  /** Private methods of the unit: where they are called, or null if also referenced (m::ref). */
  private Map<MethodSymbol, @Nullable List<TreePath>> calls = Map.of();

  /**
   * Whether the code at {@code path} runs repeatedly, as far as this compilation unit shows:
   * {@link #isRepeatedCode(TreePath)}, except that code runs once when it is
   *
   * <ul>
   *   <li>in a constructor, instance initializer or instance field initializer of a long-lived
   *       class ({@link #isLongLivedClass}: an enum, a singleton) — it runs once per owner, and
   *       there are few owners; or
   *   <li>in a private method called only from code that runs once (a static initializer's
   *       helper), and never referenced as {@code Type::method}; or
   *   <li>a lazy initialization: inside {@code if (field == null) { ... field = ...; }}, when no
   *       code in the unit sets the field back to {@code null}; or
   *   <li>in {@code public static void main(String[])}, the program's entry point, outside the
   *       loops there (a loop in {@code main} may be a server's request loop).
   * </ul>
   */
  public boolean runsRepeatedly(TreePath path) {
    return !runsOnce(path, 0);
  }

  private boolean runsOnce(TreePath path, int depth) {
    if (isOneTimeCode(path) || isLazyInitialization(path)) {
      return true;
    }
    TreePath member = enclosingMember(path);
    if (member == null) {
      return false;
    }
    ClassSymbol owner = ASTHelpers.getSymbol((ClassTree) member.getParentPath().getLeaf());
    boolean setup =
        member.getLeaf() instanceof BlockTree
            || member.getLeaf() instanceof VariableTree
            || (member.getLeaf() instanceof MethodTree method && ASTHelpers.getSymbol(method).isConstructor());
    if (setup) {
      return owner != null && isLongLivedClass(owner);
    }
    MethodSymbol method = ASTHelpers.getSymbol((MethodTree) member.getLeaf());
    if (method != null && isMain(method)) {
      return !inLoop(path, member); // the program's entry point runs once; its loops do not
    }
    if (method == null || !method.isPrivate() || depth > 3) {
      return false;
    }
    List<TreePath> callers = callsOf(method, path.getCompilationUnit());
    if (callers == null || callers.isEmpty()) {
      return false;
    }
    for (TreePath caller : callers) {
      if (!runsOnce(caller, depth + 1)) {
        return false;
      }
    }
    return true;
  }

  private static boolean inLoop(TreePath path, TreePath member) {
    for (TreePath p = path; p != null && p.getLeaf() != member.getLeaf(); p = p.getParentPath()) {
      switch (p.getLeaf().getKind()) {
        case FOR_LOOP, ENHANCED_FOR_LOOP, WHILE_LOOP, DO_WHILE_LOOP -> {
          return true;
        }
        default -> {}
      }
    }
    return false;
  }

  /** {@code public static void main(String[])}. */
  private static boolean isMain(MethodSymbol method) {
    return method.isStatic()
        && method.getSimpleName().contentEquals("main")
        && method.getModifiers().contains(javax.lang.model.element.Modifier.PUBLIC)
        && method.getReturnType().getKind() == javax.lang.model.type.TypeKind.VOID
        && method.getParameters().size() == 1
        && method.getParameters().getFirst().type instanceof Type.ArrayType array
        && array.elemtype.tsym.getQualifiedName().contentEquals("java.lang.String");
  }

  /**
   * Whether {@code path} is inside {@code if (field == null) { ... field = ...; }}: a lazy
   * initialization, which runs once as long as nothing sets the field back to {@code null}.
   */
  private boolean isLazyInitialization(TreePath path) {
    for (TreePath p = path; p != null && !(p.getLeaf() instanceof ClassTree); p = p.getParentPath()) {
      TreePath parent = p.getParentPath();
      if (parent != null
          && parent.getLeaf() instanceof IfTree check
          && check.getThenStatement() == p.getLeaf()
          && ASTHelpers.stripParentheses(check.getCondition()) instanceof BinaryTree test
          && test.getKind() == Tree.Kind.EQUAL_TO) {
        ExpressionTree other =
            test.getRightOperand().getKind() == Tree.Kind.NULL_LITERAL ? test.getLeftOperand() : test.getRightOperand();
        Symbol field = ASTHelpers.getSymbol(ASTHelpers.stripParentheses(other));
        if (field != null
            && field.getKind() == ElementKind.FIELD
            && (test.getLeftOperand().getKind() == Tree.Kind.NULL_LITERAL
                || test.getRightOperand().getKind() == Tree.Kind.NULL_LITERAL)
            && assigns(check.getThenStatement(), field)
            && !clearedFields(path.getCompilationUnit()).contains(field)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean assigns(Tree tree, Symbol field) {
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitAssignment(AssignmentTree assignment, Void unused) {
        found[0] |= ASTHelpers.getSymbol(assignment.getVariable()) == field;
        return super.visitAssignment(assignment, unused);
      }
    }.scan(tree, null);
    return found[0];
  }

  private @Nullable CompilationUnitTree clearedIn;
  private Set<Symbol> cleared = Set.of();

  /** Fields of the unit that some code sets to {@code null}: a lazy initialization of them may run again. */
  private Set<Symbol> clearedFields(CompilationUnitTree unit) {
    if (clearedIn != unit) {
      Set<Symbol> fields = new HashSet<>();
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitAssignment(AssignmentTree assignment, Void unused) {
          if (assignment.getExpression().getKind() == Tree.Kind.NULL_LITERAL) {
            Symbol target = ASTHelpers.getSymbol(assignment.getVariable());
            if (target != null) {
              fields.add(target);
            }
          }
          return super.visitAssignment(assignment, unused);
        }
      }.scan(unit, null);
      clearedIn = unit;
      cleared = fields;
    }
    return cleared;
  }

  /**
   * The class member (method, initializer block, field) whose code {@code path} is directly in,
   * not inside a lambda or a local or anonymous class there; null otherwise.
   */
  private static @Nullable TreePath enclosingMember(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof LambdaExpressionTree) {
        return null;
      }
      TreePath parent = p.getParentPath();
      if (parent != null && parent.getLeaf() instanceof ClassTree) {
        return p.getLeaf() instanceof MethodTree || p.getLeaf() instanceof BlockTree || p.getLeaf() instanceof VariableTree
            ? p
            : null;
      }
    }
    return null;
  }

  private @Nullable List<TreePath> callsOf(MethodSymbol method, CompilationUnitTree unit) {
    if (indexed != unit) {
      Map<MethodSymbol, @Nullable List<TreePath>> index = new HashMap<>();
      new TreePathScanner<Void, Void>() {
        @Override
        public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
          MethodSymbol called = ASTHelpers.getSymbol(tree);
          if (called != null && called.isPrivate()) {
            if (!index.containsKey(called)) {
              index.put(called, new ArrayList<>());
            }
            List<TreePath> list = index.get(called);
            if (list != null) {
              list.add(getCurrentPath());
            }
          }
          return super.visitMethodInvocation(tree, unused);
        }

        @Override
        public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
          if (ASTHelpers.getSymbol(tree) instanceof MethodSymbol referenced) {
            index.put(referenced, null); // may run any time
          }
          return super.visitMemberReference(tree, unused);
        }
      }.scan(new TreePath(unit), null);
      indexed = unit;
      calls = index;
    }
    return calls.get(method);
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
    if (ArenaTypes.isSubtype(field.type, "java.lang.ThreadLocal", state)) {
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
      if (ArenaTypes.hasAnnotation(type, annotation)
          && (!annotation.equals(ArenaTypes.OUTLIVES_ARENA) || ArenaTypes.enforcedOutlivesArena(type))) {
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
