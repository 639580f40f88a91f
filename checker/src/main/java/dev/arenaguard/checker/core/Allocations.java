package dev.arenaguard.checker.core;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.tree.JCTree;
import dev.arenaguard.checker.core.UnitFacts.FieldClose;
import dev.arenaguard.checker.model.MethodModel;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * Where code allocates into which arena (SPEC §2.2), and whether that grows an arena that nothing
 * frees: the placement check's view of the code.
 *
 * <p>A call allocates into an arena when a library model or an {@code @ArenaScoped} declaration
 * says its result is that arena's memory ({@code arena.allocate(..)}, {@code
 * libraryLookup(name, arena)}, {@code upcallStub(.., arena)}), or when it passes the arena to a
 * parameter of type {@code Arena} or {@code SegmentAllocator} of a method the models do not
 * describe: modularly, a callee that takes an allocator is there to allocate from it (jextract
 * bindings and downcall handles returning structs take one for exactly that). When the callee is
 * in the same compilation unit, its body decides instead. Methods of the JDK and of the runtime
 * library are described completely by the built-in models: passing an arena to one that is not
 * modelled as allocating ({@code builder.parent(arena)}) is not an allocation — except
 * signature-polymorphic {@code MethodHandle.invoke}/{@code invokeExact}, through which a downcall
 * returning a struct allocates it from the allocator argument.
 */
public final class Allocations {
  private Allocations() {}

  /**
   * An allocation into an arena.
   *
   * @param site the allocating call
   * @param arena the expression denoting the arena (or allocator) allocated into
   * @param byCallee the arena is passed to a callee that allocates from it, rather than being the
   *     receiver of a modelled allocation ({@code arena.allocate(..)})
   */
  public record Allocation(Tree site, ExpressionTree arena, boolean byCallee) {}

  /** The allocations the call at {@code callPath} makes; usually none. */
  public static List<Allocation> at(TreePath callPath, ArenaAnalysis analysis, VisitorState state) {
    return at(callPath, analysis, state, 0);
  }

  private static List<Allocation> at(TreePath callPath, ArenaAnalysis analysis, VisitorState state, int depth) {
    Call call = Call.of(callPath.getLeaf());
    if (call == null) {
      return List.of();
    }
    MethodSymbol method = call.method();
    List<? extends ExpressionTree> arguments = call.arguments();
    ExpressionTree receiver = call.receiver();
    ArenaTypes types = analysis.types();
    MethodModel model = analysis.model(method);
    List<Allocation> allocations = new ArrayList<>();
    if (model.scopedResult() || ArenaTypes.enforcedArenaScoped(method)) {
      // The result is memory of the arena argument, else of the receiver arena.
      for (ExpressionTree argument : arguments) {
        if (types.isArena(ASTHelpers.getType(argument), state)) {
          allocations.add(new Allocation(call.tree(), argument, true));
        }
      }
      if (allocations.isEmpty()
          && receiver != null
          && (types.isArena(ASTHelpers.getType(receiver), state) || types.isAllocator(ASTHelpers.getType(receiver), state))) {
        allocations.add(new Allocation(call.tree(), receiver, false));
      }
      return allocations;
    }
    boolean polymorphic = (method.flags() & Flags.SIGNATURE_POLYMORPHIC) != 0;
    if ((model != MethodModel.NONE || isFullyModelled(method)) && !polymorphic) {
      return List.of();
    }
    int arity = method.getParameters().size();
    for (int i = 0; i < arguments.size(); i++) {
      ExpressionTree argument = arguments.get(i);
      Type parameterType = arity == 0 ? null : method.getParameters().get(Math.min(i, arity - 1)).type;
      if (parameterType instanceof Type.ArrayType array && method.isVarArgs() && i >= arity - 1) {
        parameterType = array.elemtype;
      }
      boolean takesAllocator =
          polymorphic || types.isAllocator(parameterType, state) || types.isArena(parameterType, state);
      if (takesAllocator
          && types.isAllocator(ASTHelpers.getType(argument), state)
          && (polymorphic || calleeAllocates(method, Math.min(i, arity - 1), analysis, state, depth))) {
        allocations.add(new Allocation(call.tree(), uncast(argument), true));
      }
    }
    return allocations;
  }

  /** {@code (SegmentAllocator) arena}: the arena. */
  private static ExpressionTree uncast(ExpressionTree expression) {
    ExpressionTree e = ASTHelpers.stripParentheses(expression);
    while (e instanceof TypeCastTree cast) {
      e = ASTHelpers.stripParentheses(cast.getExpression());
    }
    return e;
  }

  /** Methods of the JDK and the runtime library: the built-in models say all they allocate. */
  private static boolean isFullyModelled(MethodSymbol method) {
    String owner = ((ClassSymbol) method.owner).getQualifiedName().toString();
    return owner.startsWith("java.")
        || owner.startsWith("javax.")
        || owner.startsWith("jdk.")
        || owner.startsWith("dev.arenaguard.runtime.");
  }

  /**
   * Whether a callee allocates from its parameter {@code index}: when its body is in this unit,
   * whether it allocates into that parameter outside a phase (directly or through further calls,
   * a few deep), or keeps it in a field (the object allocates later); otherwise assumed.
   */
  private static boolean calleeAllocates(
      MethodSymbol callee, int index, ArenaAnalysis analysis, VisitorState state, int depth) {
    if (!(analysis.declaration(callee) instanceof MethodTree declaration) || declaration.getBody() == null) {
      return true;
    }
    if (depth > 3) {
      return true;
    }
    VarSymbol parameter = callee.getParameters().get(index);
    if (analysis.facts().isOwnedParameter(parameter)) {
      return true;
    }
    TreePath body = analysis.pathOf(declaration.getBody());
    if (body == null) {
      return true;
    }
    boolean[] allocates = {false};
    Call.forEachUnder(
        body,
        call -> {
          for (Allocation allocation : at(call, analysis, state, depth + 1)) {
            Backing backing = analysis.arenaBacking(allocation.arena(), allocation.site());
            allocates[0] |= backing != null && backing.arena() == parameter && backing.scope() != ScopeKind.BLOCK;
          }
        });
    return allocates[0];
  }

  // ---------------------------------------------------------------------------------------------
  // Growth

  /**
   * An allocation into an arena that grows without bound: a long-lived owner's arena, or one
   * that never frees, allocated into from code that runs repeatedly outside a phase that resets
   * it.
   *
   * @param allocation the allocation
   * @param backing the allocated memory's arena and scope
   * @param owner the long-lived field holding the arena (a static field, a {@code ThreadLocal},
   *     a field of a long-lived class), or a field holding the global arena; null when the arena
   *     is {@code Arena.global()} itself
   * @param whereOwned the owner in the user's words: {@code a static field}
   * @param resetNotInFinally a reset or close of the arena in the same method that is not in a
   *     {@code finally} block around the allocation, if any: an exception skips it
   */
  public record Growth(
      Allocation allocation,
      Backing backing,
      @Nullable Symbol owner,
      String whereOwned,
      @Nullable MethodInvocationTree resetNotInFinally) {}

  /**
   * Whether {@code allocation} at {@code sitePath} grows an arena without bound (SPEC §2.2,
   * §2.0.5); null when it does not: the arena is bounded by a try-with-resources block or a
   * phase, is a pool's lease, a fresh or local arena, an ordinary object's, reset in a {@code
   * finally} around the allocation, or the code runs once.
   */
  public static @Nullable Growth growth(
      Allocation allocation, TreePath sitePath, ArenaAnalysis analysis, Lifetimes lifetimes, VisitorState state) {
    Backing backing = analysis.arenaBacking(allocation.arena(), allocation.site());
    if (backing == null || backing.scope() == ScopeKind.BLOCK || backing.arenaKind().isPooled()) {
      return null;
    }
    Symbol arena = backing.arena();
    Symbol field = arena != null && arena.getKind() == ElementKind.FIELD ? arena : null;
    String whereOwned;
    if (field != null && lifetimes.isLongLivedField(field, state)) {
      whereOwned = ownerDescription(field, lifetimes, analysis, state);
    } else if (backing.scope() == ScopeKind.GLOBAL) {
      whereOwned = field == null ? "the global arena" : "a field holding the global arena";
    } else {
      return null; // an ordinary object's arena, a local or fresh one: bounded by its owner
    }
    if (!lifetimes.runsRepeatedly(sitePath)) {
      return null;
    }
    MethodInvocationTree notInFinally = null;
    if (field != null) {
      for (MethodInvocationTree reset : resetsOf(field, analysis)) {
        if (isFinallyAround(reset, sitePath)) {
          return null;
        }
        if (sameCode(reset, sitePath, analysis)) {
          notInFinally = reset;
        }
      }
    }
    return new Growth(allocation, backing, field, whereOwned, notInFinally);
  }

  private static String ownerDescription(Symbol field, Lifetimes lifetimes, ArenaAnalysis analysis, VisitorState state) {
    if (analysis.types().isThreadLocalOfArenas(field.type, state)) {
      return "a ThreadLocal, whose arena lives as long as its thread (pool threads live as long as the program)";
    }
    if (field.isStatic()) {
      return "a static field";
    }
    ClassSymbol owner = Lifetimes.ownerClass(field);
    String name = owner == null ? "its class" : "'" + owner.getSimpleName() + "'";
    return owner != null && owner.getKind() == ElementKind.ENUM
        ? "a field of enum " + name + ", whose constants live as long as the program"
        : "a field of " + name + ", a long-lived owner (a singleton or @OutlivesArena class)";
  }

  /** The {@code reset()}/{@code close()} calls of the arena in {@code field}. */
  private static List<MethodInvocationTree> resetsOf(Symbol field, ArenaAnalysis analysis) {
    List<MethodInvocationTree> resets = new ArrayList<>();
    for (FieldClose close : analysis.facts().closesOfField(field)) {
      resets.add(close.call());
    }
    return resets;
  }

  /** Whether {@code reset} is in the {@code finally} block of a try whose body or catch holds the site. */
  private static boolean isFinallyAround(MethodInvocationTree reset, TreePath site) {
    int at = ((JCTree) reset).getStartPosition();
    for (TreePath p = site; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof MethodTree || p.getLeaf() instanceof LambdaExpressionTree) {
        return false;
      }
      TreePath parent = p.getParentPath();
      if (parent != null
          && parent.getLeaf() instanceof TryTree tryTree
          && tryTree.getFinallyBlock() != null
          && (p.getLeaf() == tryTree.getBlock() || p.getLeaf() instanceof CatchTree)
          && within(at, tryTree.getFinallyBlock())) {
        return true;
      }
    }
    return false;
  }

  private static boolean within(int position, BlockTree block) {
    JCTree.JCBlock jc = (JCTree.JCBlock) block;
    return jc.getStartPosition() <= position && position <= jc.endpos;
  }

  /** Whether {@code reset} is in the same method or lambda as the site. */
  private static boolean sameCode(MethodInvocationTree reset, TreePath site, ArenaAnalysis analysis) {
    TreePath code = ArenaAnalysis.enclosingCodeRoot(site);
    if (code == null) {
      return false;
    }
    JCTree tree = (JCTree) code.getLeaf();
    int at = ((JCTree) reset).getStartPosition();
    return tree.getStartPosition() <= at && at <= analysis.state().getEndPosition(tree);
  }
}
