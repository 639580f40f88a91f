package dev.arenaguard.checker.core;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.TypeTag;
import com.sun.tools.javac.tree.JCTree;
import dev.arenaguard.checker.core.ArenaAnalysis.Flow;
import dev.arenaguard.checker.core.UnitFacts.LocalArena;
import dev.arenaguard.checker.model.MethodModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import org.checkerframework.errorprone.dataflow.analysis.AbstractValue;
import org.checkerframework.errorprone.dataflow.analysis.AnalysisResult;
import org.checkerframework.errorprone.dataflow.analysis.ForwardAnalysisImpl;
import org.checkerframework.errorprone.dataflow.analysis.ForwardTransferFunction;
import org.checkerframework.errorprone.dataflow.analysis.Store;
import org.checkerframework.errorprone.dataflow.cfg.block.Block;
import org.checkerframework.errorprone.dataflow.cfg.block.ExceptionBlock;
import org.checkerframework.errorprone.dataflow.cfg.node.MethodInvocationNode;
import org.checkerframework.errorprone.dataflow.cfg.node.Node;
import org.checkerframework.errorprone.dataflow.cfg.node.ReturnNode;
import org.jspecify.annotations.Nullable;

/**
 * When arenas end, within one method (or lambda, or initializer): the flow-sensitive facts behind
 * {@code ArenaUseAfterClose} and {@code ArenaNotClosed}, and behind the path-sensitive scope of
 * memory of an arena the method closes ({@link ArenaAnalysis#valueOf}). One instance per
 * compilation unit, from {@link ArenaAnalysis#lifecycle()}.
 *
 * <p>Two analyses run, with Checker Framework's dataflow, over the same control-flow graph as the
 * values ({@link ArenaTransfer}):
 *
 * <ul>
 *   <li><b>Ends</b> ({@link EndTransfer}): an {@link ArenaEnd} — {@code close()}, {@code reset()}
 *       or another {@code @Resets} method, the end of a try-with-resources block or of a {@code
 *       phase()} — frees the memory held by every local whose value is backed by the ending arena,
 *       its aliases or its child arenas (SPEC §3.3), and closes those arena variables. Reading such
 *       a local afterwards is a use after close ({@link #freedAt(TreePath)}).
 *   <li><b>Ownership</b> ({@link OwnershipTransfer}): a closeable arena created in the method must
 *       be closed or handed on on every path, exceptional paths included ({@link #leaks(TreePath)}).
 * </ul>
 */
public final class ArenaLifecycle {

  /**
   * A closeable arena created in a method and still open, and owned, when the method ends on some
   * path.
   *
   * @param creation the creating expression ({@code Arena.ofConfined()}, {@code pool.acquire()})
   * @param closedSomewhere whether some path closes it or hands it on (else it is never closed)
   * @param exit how it stays open
   * @param at the {@code return}, the throwing call or {@code throw}; null when the method ends
   *     by reaching the end of its body
   */
  public record Leak(Tree creation, boolean closedSomewhere, Exit exit, @Nullable Tree at) {}

  /** How a leaked arena leaves the method open. */
  public enum Exit {
    /** The method returns (or reaches the end of its body) with the arena open. */
    RETURN,
    /** An exception thrown by a call, or a {@code throw}, leaves the method with the arena open. */
    EXCEPTION
  }

  /**
   * Exceptions the analyses do not follow: those raised only by implicit checks of the language
   * (as the Checker Framework's Resource Leak Checker does), and {@code Error}s, which every call
   * and class reference may throw and after which a program is not expected to clean up. Calls'
   * {@code RuntimeException}s and checked exceptions, and {@code throw}s of exceptions, are
   * followed.
   */
  private static final ImmutableSet<String> IGNORED_EXCEPTIONS =
      ImmutableSet.of(
          "java.lang.NullPointerException",
          "java.lang.ClassCastException",
          "java.lang.ArrayIndexOutOfBoundsException",
          "java.lang.ArrayStoreException",
          "java.lang.NegativeArraySizeException",
          "java.lang.ArithmeticException");

  private final ArenaAnalysis analysis;
  private final Map<Tree, Code> codes = new IdentityHashMap<>();

  ArenaLifecycle(ArenaAnalysis analysis) {
    this.analysis = analysis;
  }

  // ---------------------------------------------------------------------------------------------
  // Public API

  /**
   * What a read of a variable ({@code s} in {@code s.get(..)}, or an arena variable) sees freed:
   * the ends that may have freed the memory it holds, or closed the arena it is, on some path to
   * the read. A local captured by a lambda is judged where the lambda is created.
   */
  public FreedUse freedAt(TreePath read) {
    Tree leaf = read.getLeaf();
    if (!(leaf instanceof IdentifierTree || leaf instanceof MemberSelectTree)
        || !(ASTHelpers.getSymbol(leaf) instanceof VarSymbol variable)
        || !analysis.facts().mentionsArenaMemory()) {
      return FreedUse.NONE;
    }
    TreePath site = read;
    if (UnitFacts.isLocal(variable)) {
      TreePath capturing = capturingLambda(read, variable);
      if (capturing != null) {
        Code code = codeWithEnds(capturing);
        if (code == null || !code.hasEnds()) {
          return FreedUse.NONE;
        }
        EndStore store = code.ends().getStoreBefore(capturing.getLeaf());
        return store == null ? FreedUse.NONE : store.readOf(variable);
      }
    } else if (variable.getKind() != ElementKind.FIELD || !UnitFacts.isOnThis((ExpressionTree) leaf)) {
      return FreedUse.NONE;
    }
    Code code = codeWithEnds(site);
    if (code == null || !code.hasEnds()) {
      return FreedUse.NONE;
    }
    FreedUse use = code.ends().getValue(leaf);
    return use == null ? FreedUse.NONE : use;
  }

  /**
   * The closeable arenas created in the method, lambda or initializer {@code root} that some path
   * leaves open (SPEC §2.5), in source order.
   */
  public List<Leak> leaks(TreePath root) {
    Code code = code(root);
    return code == null ? List.of() : code.leaks();
  }

  /** The leak of the arena created at {@code creation}, if it leaks. */
  public Optional<Leak> leakOf(TreePath creation) {
    if (closedWhereCreated(creation)) {
      return Optional.empty(); // the common case, without a dataflow analysis
    }
    Tree tree = creation.getLeaf();
    return leaks(creation).stream().filter(l -> l.creation() == tree).findFirst();
  }

  /**
   * Whether a creation is a try-with-resources resource, returned, or a field's initializer (the
   * object takes it, as the ownership analysis of the initializer would find), as it is created.
   */
  private static boolean closedWhereCreated(TreePath creation) {
    TreePath path = wholeExpression(creation);
    Tree parent = path.getParentPath().getLeaf();
    return parent instanceof ReturnTree
        || (parent instanceof VariableTree resource
            && path.getParentPath().getParentPath().getLeaf() instanceof TryTree statement
            && statement.getResources().contains(resource))
        || (parent instanceof VariableTree field
            && ASTHelpers.getSymbol(field) instanceof VarSymbol variable
            && variable.getKind() == ElementKind.FIELD);
  }

  /** The expression whose value {@code path}'s is: up through parentheses and conditional branches. */
  public static TreePath wholeExpression(TreePath path) {
    TreePath whole = path;
    while (whole.getParentPath().getLeaf() instanceof ParenthesizedTree
        || (whole.getParentPath().getLeaf() instanceof ConditionalExpressionTree conditional
            && conditional.getCondition() != whole.getLeaf())) {
      whole = whole.getParentPath();
    }
    return whole;
  }

  /** The creations of closeable arenas that the expression at {@code path} may denote. */
  public ImmutableSet<Tree> creationsOf(TreePath path) {
    Code code = code(path);
    if (code == null || !analysis.facts().mentionsArenaMemory()) {
      return ImmutableSet.of();
    }
    Owned value = code.ownership().getValue(path.getLeaf());
    return value == null ? ImmutableSet.of() : value.creations();
  }

  /**
   * Whether {@code tree} creates an arena its creator must close: a modelled factory of a
   * closeable kind ({@code Arena.ofConfined()/ofShared()}, {@code BumpArena.ofConfined(..)},
   * {@code builder(..).build()}, {@code arena.newChild(..)}, {@code pool.acquire()} — a lease
   * returns to its pool only when closed), a static factory returning an arena whose name says
   * {@code confined} or {@code shared}, or a constructor of an arena type. Not {@code
   * Arena.global()} or {@code Arena.ofAuto()}.
   */
  public boolean isClosableCreation(Tree tree) {
    if (!analysis.facts().mentionsArenaMemory()) {
      return false; // as creationsOf: without arena memory in the unit, nothing is tracked
    }
    if (tree instanceof NewClassTree creation) {
      return analysis.types().isArena(ASTHelpers.getType(creation), analysis.state());
    }
    if (!(tree instanceof MethodInvocationTree call) || !(ASTHelpers.getSymbol(call) instanceof MethodSymbol method)) {
      return false;
    }
    Optional<ArenaKind> made = analysis.model(method).newArena();
    if (made.isPresent()) {
      return !made.get().isUnbounded() && !isChild(call);
    }
    if (!method.isStatic() || !analysis.types().isArena(method.getReturnType(), analysis.state())) {
      return false;
    }
    ArenaKind kind = ArenaTypes.kindOfFactory(method, Optional.empty());
    return kind != ArenaKind.UNKNOWN && !kind.isUnbounded();
  }

  /**
   * Whether {@code call} creates a child arena ({@code arena.newChild(..)}, {@code
   * builder(..).parent(arena).build()}): its parent closes it with its subtree (SPEC §3.3), so its
   * creator need not.
   */
  private boolean isChild(MethodInvocationTree call) {
    ExpressionTree expression = call;
    while (ASTHelpers.stripParentheses(expression) instanceof MethodInvocationTree link
        && link.getMethodSelect() instanceof MemberSelectTree select) {
      ExpressionTree receiver = select.getExpression();
      boolean onArena =
          link == call && !ASTHelpers.getSymbol(link).isStatic()
              && analysis.types().isArena(ASTHelpers.getType(receiver), analysis.state());
      boolean parent =
          select.getIdentifier().contentEquals("parent")
              && link.getArguments().size() == 1
              && analysis.types().isArena(ASTHelpers.getType(link.getArguments().getFirst()), analysis.state());
      if (onArena || parent) {
        return true;
      }
      expression = receiver;
    }
    return false;
  }

  /** What the code does with a value read from a variable (see {@link #useOf(TreePath)}). */
  public enum UseKind {
    /** Reads or writes the memory, or hands it to a callee that may (a plain argument). */
    ACCESS,
    /**
     * Keeps it where {@code ArenaEscape} judges it for memory of an arena this method closes
     * (SPEC §2.1): returned from the method; stored into a field, a static, or an array or
     * container that is not a local; passed to an {@code @OutlivesArena} parameter; handed to
     * another thread. Such a use of freed memory is that check's escape (SPEC §2.0.1).
     */
    ESCAPE,
    /** Keeps it, or something derived from it, in a local: the dataflow follows it there. */
    KEPT,
    /** Touches no memory: a comparison, {@code byteSize()}, {@code list.size()}. */
    NONE
  }

  /**
   * How the value read at {@code read} is used.
   *
   * @param kind what the use is
   * @param at the expression where it happens (the access, the sink)
   */
  public record Use(UseKind kind, Tree at) {}

  /**
   * How the value of the variable read at {@code read} is used, following it up the expression
   * through derivations ({@code s.asSlice(..)}, {@code list.get(0)}, {@code Optional.of(s)}, a
   * record built from it) to the access, the sink or the local that keeps it. An arena variable
   * is accessed when memory is allocated from it ({@code a.allocate(..)}, {@code a.newChild(..)},
   * {@code a.phase()}, {@code a.reset()}, an arena argument of a call that allocates from it).
   *
   * <p>A derivation that itself accesses the memory ({@code s.fill(..)}, {@code
   * buffer.put(..)}, {@code s.reinterpret(size)}) is the access, unless the derived value is
   * then kept where {@code ArenaEscape} reports it.
   */
  public Use useOf(TreePath read) {
    Symbol variable = ASTHelpers.getSymbol(read.getLeaf());
    if (variable != null && analysis.types().isArena(variable.type, analysis.state())) {
      return arenaUseOf(read);
    }
    Tree[] accessedAt = {null};
    Use use = followUse(read, accessedAt);
    return accessedAt[0] != null && use.kind() != UseKind.ESCAPE ? new Use(UseKind.ACCESS, accessedAt[0]) : use;
  }

  private Use followUse(TreePath read, Tree[] accessedAt) {
    TreePath path = read;
    while (path.getParentPath() != null) {
      Tree leaf = path.getLeaf();
      TreePath parentPath = path.getParentPath();
      Tree parent = parentPath.getLeaf();
      switch (parent) {
        case ParenthesizedTree p -> path = parentPath;
        case TypeCastTree c -> path = parentPath;
        case NewArrayTree a -> path = parentPath;
        case ConditionalExpressionTree c -> {
          if (leaf == c.getCondition()) {
            return new Use(UseKind.NONE, parent);
          }
          path = parentPath;
        }
        case LambdaExpressionTree lambda -> path = parentPath; // an expression lambda's result
        case ArrayAccessTree element -> {
          if (leaf != element.getExpression()) {
            return new Use(UseKind.NONE, parent);
          }
          path = parentPath; // an element of a freed array
        }
        case ReturnTree r -> {
          TreePath code = ArenaAnalysis.enclosingCodeRoot(parentPath);
          if (code == null || !(code.getLeaf() instanceof LambdaExpressionTree)) {
            return new Use(code != null && code.getLeaf() instanceof MethodTree ? UseKind.ESCAPE : UseKind.NONE, parent);
          }
          path = code; // what a lambda returns is what the lambda holds
        }
        case EnhancedForLoopTree loop -> {
          return new Use(leaf == loop.getExpression() ? UseKind.KEPT : UseKind.NONE, parent);
        }
        case MemberSelectTree select -> {
          TreePath grand = parentPath.getParentPath();
          if (grand != null && grand.getLeaf() instanceof MethodInvocationTree call && call.getMethodSelect() == select) {
            MethodSymbol method = ASTHelpers.getSymbol(call);
            if (analysis.valueOf(grand).isBacked()) {
              if (accessedAt[0] == null && touchesMemory(method)) {
                accessedAt[0] = call; // s.fill(..): fluent, and an access
              }
              path = grand; // a derived value: s.asSlice(..), list.get(0)
              continue;
            }
            return new Use(touchesMemory(method) ? UseKind.ACCESS : UseKind.NONE, call);
          }
          if (!analysis.valueOf(parentPath).isBacked()) {
            return new Use(UseKind.NONE, parent);
          }
          path = parentPath; // holder.segment
        }
        case MethodInvocationTree call -> {
          int index = call.getArguments().indexOf(leaf);
          MethodSymbol method = ASTHelpers.getSymbol(call);
          if (index < 0 || method == null) {
            return new Use(UseKind.NONE, parent);
          }
          if (isSinkArgument(call, method, index)) {
            return new Use(UseKind.ESCAPE, call);
          }
          MethodModel model = analysis.model(method);
          int arity = method.getParameters().size();
          if (MethodModel.has(model.storesIntoReceiverParams(), index, arity, method.isVarArgs())) {
            return new Use(UseKind.KEPT, call); // into a local container
          }
          if (!MethodModel.has(model.derivesFromParams(), index, arity, method.isVarArgs())
              || !analysis.valueOf(parentPath).isBacked()) {
            // A callee that uses it: copy(s, ..), use(s); not println(s), s.equals(t).
            return new Use(accessesArgument(method, index, leaf) ? UseKind.ACCESS : UseKind.NONE, call);
          }
          path = parentPath; // List.of(s), Optional.of(s)
        }
        case NewClassTree creation -> {
          int index = creation.getArguments().indexOf(leaf);
          MethodSymbol constructor = ASTHelpers.getSymbol(creation);
          if (index >= 0 && isSinkArgument(null, constructor, index)) {
            return new Use(UseKind.ESCAPE, creation);
          }
          if (!analysis.valueOf(parentPath).isBacked()) {
            boolean accesses = index < 0 || constructor == null || accessesArgument(constructor, index, leaf);
            return new Use(accesses ? UseKind.ACCESS : UseKind.NONE, creation);
          }
          path = parentPath; // new Holder(s), a record
        }
        case AssignmentTree assignment -> {
          if (leaf != assignment.getExpression()) {
            return new Use(UseKind.NONE, parent);
          }
          ExpressionTree target = ASTHelpers.stripParentheses(assignment.getVariable());
          if (isSinkLocation(target)) {
            return new Use(UseKind.ESCAPE, parent);
          }
          return new Use(keptLocally(target) ? UseKind.KEPT : UseKind.ACCESS, parent);
        }
        case VariableTree declaration -> {
          Symbol symbol = ASTHelpers.getSymbol(declaration);
          boolean field = symbol != null && symbol.getKind() == ElementKind.FIELD;
          return new Use(field ? UseKind.ESCAPE : UseKind.KEPT, parent);
        }
        default -> {
          return new Use(UseKind.NONE, parent);
        }
      }
    }
    return new Use(UseKind.NONE, read.getLeaf());
  }

  /** An arena variable is used when memory is allocated from it (or it is reset or split). */
  private Use arenaUseOf(TreePath read) {
    TreePath path = read;
    while (path.getParentPath() != null && path.getParentPath().getLeaf() instanceof ParenthesizedTree) {
      path = path.getParentPath();
    }
    TreePath parentPath = path.getParentPath();
    Tree parent = parentPath == null ? null : parentPath.getLeaf();
    if (parent instanceof MemberSelectTree select
        && parentPath.getParentPath() != null
        && parentPath.getParentPath().getLeaf() instanceof MethodInvocationTree call
        && call.getMethodSelect() == select) {
      MethodModel model = analysis.model(ASTHelpers.getSymbol(call));
      boolean allocates = model.scopedResult() || model.newArena().isPresent() || model.phase() || model.resets();
      return new Use(allocates ? UseKind.ACCESS : UseKind.NONE, call);
    }
    if (parent instanceof MethodInvocationTree call && ASTHelpers.getSymbol(call) instanceof MethodSymbol method) {
      // ch.map(.., arena), segment.reinterpret(.., arena, ..): memory allocated from the argument.
      boolean allocates = analysis.model(method).scopedResult() || ArenaTypes.enforcedArenaScoped(method);
      return new Use(allocates ? UseKind.ACCESS : UseKind.NONE, call);
    }
    return new Use(UseKind.NONE, read.getLeaf());
  }

  /** Whether a target of an assignment is local: a local variable, or an element or field of a local. */
  private static boolean keptLocally(ExpressionTree target) {
    ExpressionTree holder = target;
    if (target instanceof ArrayAccessTree element) {
      holder = ASTHelpers.stripParentheses(element.getExpression());
    } else if (target instanceof MemberSelectTree select) {
      holder = ASTHelpers.stripParentheses(select.getExpression());
    }
    Symbol symbol = ASTHelpers.getSymbol(holder);
    return symbol != null && UnitFacts.isLocal(symbol);
  }

  private static boolean isRecordAccessor(MethodSymbol method) {
    return method.owner instanceof com.sun.tools.javac.code.Symbol.ClassSymbol owner
        && owner.isRecord()
        && method.getParameters().isEmpty()
        && owner.getRecordComponents().stream().anyMatch(c -> c.getSimpleName().equals(method.getSimpleName()));
  }

  /**
   * Whether calling {@code method} on freed memory touches it. Methods of {@code Object}, the
   * bookkeeping the library models mark {@code @NoAccess} (a segment's {@code byteSize()}, {@code
   * address()}, {@code equals}; a buffer's {@code position()}), and the methods of JDK containers
   * (a list of freed segments can still be counted and cleared) do not.
   */
  private boolean touchesMemory(@Nullable MethodSymbol method) {
    if (method == null || isRecordAccessor(method) || analysis.model(method).noAccess()) {
      return false;
    }
    String owner = method.owner.getQualifiedName().toString();
    if (owner.equals("java.lang.Object")) {
      return false;
    }
    return !(owner.startsWith("java.util.") || owner.startsWith("java.lang.Iterable"));
  }

  /**
   * Whether {@code method} (or constructor) may access the memory of {@code argument}, passed at
   * position {@code index}: unless the library models say it does not ({@code @NoAccess}), or the
   * argument is a segment the callee sees only as an {@code Object} ({@code println(seg)}, {@code
   * String.valueOf(seg)}, {@code Objects.equals(seg, other)}, a {@code format} argument). Such a
   * callee can only call {@code Object}'s methods on it, and a segment's {@code toString}, {@code
   * equals} and {@code hashCode} do not access its memory. A segment parameter, or a type
   * variable ({@code Consumer<MemorySegment>.accept}), will be read.
   */
  private boolean accessesArgument(MethodSymbol method, int index, Tree argument) {
    if (analysis.model(method).noAccess()) {
      return false;
    }
    Type type = ASTHelpers.getType(argument);
    List<VarSymbol> parameters = method.getParameters();
    if (parameters.isEmpty() || !analysis.types().isSegment(type, analysis.state())) {
      return true;
    }
    Type parameter = parameters.get(Math.min(index, parameters.size() - 1)).type;
    if (method.isVarArgs() && index >= parameters.size() - 1 && parameter instanceof Type.ArrayType array) {
      parameter = array.elemtype; // format("%s", seg): an element of the varargs array
    }
    return !(parameter.hasTag(TypeTag.CLASS)
        && analysis.state().getTypes().isSameType(parameter, analysis.state().getSymtab().objectType));
  }

  private boolean isSinkArgument(@Nullable MethodInvocationTree call, @Nullable MethodSymbol method, int index) {
    if (method == null) {
      return false;
    }
    MethodModel model = analysis.model(method);
    int arity = method.getParameters().size();
    boolean varargs = method.isVarArgs();
    if (MethodModel.has(model.outlivesArenaParams(), index, arity, varargs)
        || MethodModel.has(model.handsOffParams(), index, arity, varargs)
        || (arity > 0 && ArenaTypes.enforcedOutlivesArena(method.getParameters().get(Math.min(index, arity - 1))))) {
      return true;
    }
    if (call != null
        && MethodModel.has(model.storesIntoReceiverParams(), index, arity, varargs)
        && call.getMethodSelect() instanceof MemberSelectTree select) {
      Symbol container = ASTHelpers.getSymbol(ASTHelpers.stripParentheses(select.getExpression()));
      return container == null || !UnitFacts.isLocal(container) || container.getKind() == ElementKind.PARAMETER;
    }
    return false;
  }

  /** Whether storing into {@code target} keeps the value beyond the method (and is not {@code @ArenaScoped}). */
  private static boolean isSinkLocation(ExpressionTree target) {
    ExpressionTree location = ASTHelpers.stripParentheses(target);
    if (location instanceof ArrayAccessTree element) {
      Symbol array = ASTHelpers.getSymbol(ASTHelpers.stripParentheses(element.getExpression()));
      return array == null || !UnitFacts.isLocal(array) || array.getKind() == ElementKind.PARAMETER;
    }
    Symbol symbol = ASTHelpers.getSymbol(location);
    return symbol != null
        && symbol.getKind() == ElementKind.FIELD
        && !ArenaTypes.hasArenaScoped(symbol)
        && !ArenaTypes.hasArenaScoped(symbol.owner);
  }

  // ---------------------------------------------------------------------------------------------
  // Path-sensitive scopes for ArenaAnalysis.valueOf

  /**
   * {@code value} as seen at {@code site}: memory of an arena the method closes or resets has that
   * scope only where an end of the arena lies on some path through the site (before it, having
   * freed a local the site reads, or after it); elsewhere — a path on which the arena is returned
   * or handed to an owner and closed only on another path — it has the scope the arena has when
   * not closed. Memory the site reads from a local freed before it is scoped to that end, whatever
   * its scope otherwise.
   */
  ArenaValue atSite(ArenaValue value, TreePath site) {
    if (!value.isBacked() || value.backings().stream().allMatch(b -> b.arena() == null)) {
      return value;
    }
    Code code = codeWithEnds(site);
    if (code == null || !code.hasEnds()) {
      return value;
    }
    Set<Node> nodes = code.flow().cfg().getNodesCorrespondingToTree(site.getLeaf());
    if (nodes == null || nodes.isEmpty()) {
      return value;
    }
    Set<ArenaEnd> freedBefore = new LinkedHashSet<>();
    Set<ArenaEnd> endedBefore = new LinkedHashSet<>();
    Set<VariableElement> read = localsRead(site.getLeaf());
    for (Node node : nodes) {
      EndStore before = code.ends().getStoreBefore(node);
      if (before == null) {
        continue;
      }
      for (VariableElement local : read) {
        before.dead().getOrDefault(local, ImmutableSet.of()).forEach(f -> freedBefore.add(f.end()));
      }
      before.ended().values().forEach(endedBefore::addAll);
    }
    ImmutableSet.Builder<Backing> result = ImmutableSet.builder();
    for (Backing backing : value.backings()) {
      result.add(atSite(backing, code, nodes, freedBefore, endedBefore));
    }
    ArenaValue seen = new ArenaValue(result.build());
    return seen.equals(value) ? value : seen;
  }

  private Backing atSite(
      Backing backing, Code code, Set<Node> nodes, Set<ArenaEnd> freedBefore, Set<ArenaEnd> endedBefore) {
    if (backing.arena() == null) {
      return backing;
    }
    for (ArenaEnd end : freedBefore) {
      if (code.ends(end, backing)) {
        return endingAt(backing, end);
      }
    }
    if (backing.scope() != ScopeKind.CLOSED_IN_METHOD) {
      return backing;
    }
    for (ArenaEnd end : endedBefore) {
      if (end.kind().closesArena() && code.ends(end, backing)) {
        return endingAt(backing, end); // memory allocated from an arena already closed
      }
    }
    ArenaEnd after = code.endReachableFrom(nodes, backing);
    return after != null ? endingAt(backing, after) : open(backing);
  }

  private static Backing endingAt(Backing backing, ArenaEnd end) {
    boolean call = end.kind() == ArenaEnd.Kind.CLOSE || end.kind() == ArenaEnd.Kind.RESET;
    ScopeKind scope = call ? ScopeKind.CLOSED_IN_METHOD : ScopeKind.BLOCK;
    if (backing.scope() == scope && backing.end() == end.at()) {
      return backing;
    }
    return new Backing(scope, backing.arenaKind(), backing.origin(), backing.arena(), end.at(), backing.declaredIn(), backing.copyable());
  }

  /** The scope the backing's arena has when the method does not close it. */
  private Backing open(Backing backing) {
    Symbol arena = backing.arena();
    ScopeKind scope;
    if (arena.getKind() == ElementKind.FIELD) {
      scope = arena.isStatic() ? ScopeKind.UNCLOSED : ScopeKind.OWNER;
    } else if (arena.getKind() == ElementKind.PARAMETER) {
      scope = analysis.facts().isOwnedParameter(arena) ? ScopeKind.OWNER : ScopeKind.PARAMETER;
    } else {
      LocalArena local = analysis.facts().localArena(arena);
      scope = local != null && local.ownedByThis() ? ScopeKind.OWNER : ScopeKind.UNCLOSED;
    }
    return new Backing(scope, backing.arenaKind(), backing.origin(), arena, null, backing.declaredIn(), backing.copyable());
  }

  /** The locals (and fields of this) an expression reads, lambda bodies included. */
  private static Set<VariableElement> localsRead(Tree expression) {
    Set<VariableElement> read = new HashSet<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        if (ASTHelpers.getSymbol(identifier) instanceof VarSymbol variable) {
          read.add(variable);
        }
        return null;
      }
    }.scan(expression, null);
    return read;
  }

  // ---------------------------------------------------------------------------------------------
  // Per code root

  /**
   * {@link #code(TreePath)} when an end in the code may free memory that a local still holds
   * afterwards; null otherwise, without building its control-flow graph. Asked at every variable
   * read, and most code frees nothing that outlives its block.
   */
  private @Nullable Code codeWithEnds(TreePath path) {
    TreePath root = ArenaAnalysis.enclosingCodeRoot(path);
    if (root == null || !mayFree.computeIfAbsent(root.getLeaf(), this::mayFree)) {
      return null;
    }
    return code(path);
  }

  private final Map<Tree, Boolean> mayFree = new IdentityHashMap<>();

  /**
   * Whether {@code code} closes or resets an arena with a call, or has a try-with-resources block
   * (an arena's or a phase's) that hands something to a local declared outside it (assigns it, or
   * calls a method on it: {@code outer.add(..)}). Otherwise no local can hold memory past its end.
   */
  private boolean mayFree(Tree code) {
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        found[0] |= endsArena(call);
        return found[0] ? null : super.visitMethodInvocation(call, unused);
      }

      @Override
      public Void visitTry(TryTree tree, Void unused) {
        found[0] |= !tree.getResources().isEmpty() && (closesExisting(tree) || handsOut(tree));
        return found[0] ? null : super.visitTry(tree, unused);
      }
    }.scan(code, null);
    return found[0];
  }

  private boolean endsArena(MethodInvocationTree call) {
    MethodSymbol method = ASTHelpers.getSymbol(call);
    if (method == null) {
      return false;
    }
    if (analysis.model(method).resets()) {
      return true;
    }
    if (!method.getSimpleName().contentEquals("close")
        || !method.getParameters().isEmpty()
        || !(call.getMethodSelect() instanceof MemberSelectTree select)) {
      return false;
    }
    Symbol receiver = ASTHelpers.getSymbol(ASTHelpers.stripParentheses(select.getExpression()));
    return receiver != null
        && (analysis.types().isArena(receiver.type, analysis.state())
            || analysis.facts().resourceStatement(receiver) != null); // p.close() of a phase
  }

  /**
   * Whether a try-with-resources statement closes an arena that existed before it ({@code try (a)},
   * {@code try (Arena b = a)}, {@code try (Arena c = holder.arena())}) rather than one it creates
   * or a phase it opens: memory allocated before the statement may be held outside it.
   */
  private boolean closesExisting(TryTree statement) {
    for (Tree resource : statement.getResources()) {
      if (!(resource instanceof VariableTree variable)) {
        return true;
      }
      ExpressionTree init = ASTHelpers.stripParentheses(variable.getInitializer());
      boolean fresh =
          init instanceof MethodInvocationTree call
              && (isClosableCreation(call) || analysis.model(ASTHelpers.getSymbol(call)).phase());
      if (!fresh && analysis.types().isArena(ASTHelpers.getType(variable), analysis.state())) {
        return true;
      }
    }
    return false;
  }

  /** Whether the try statement's resources or block write to, or call a method of, an outer local. */
  private static boolean handsOut(TryTree statement) {
    int start = ((JCTree) statement).getStartPosition();
    boolean[] found = {false};
    TreeScanner<Void, Void> scanner =
        new TreeScanner<>() {
          private boolean outer(ExpressionTree target) {
            ExpressionTree e = ASTHelpers.stripParentheses(target);
            while (e instanceof ArrayAccessTree element) {
              e = ASTHelpers.stripParentheses(element.getExpression());
            }
            if (e instanceof MemberSelectTree select && !(ASTHelpers.getSymbol(select) instanceof MethodSymbol)) {
              e = ASTHelpers.stripParentheses(select.getExpression()); // holder.field = ..
            }
            Symbol symbol = ASTHelpers.getSymbol(e);
            return symbol instanceof VarSymbol variable && UnitFacts.isLocal(variable) && variable.pos < start;
          }

          @Override
          public Void visitAssignment(AssignmentTree tree, Void unused) {
            found[0] |= outer(tree.getVariable());
            return super.visitAssignment(tree, unused);
          }

          @Override
          public Void visitCompoundAssignment(com.sun.source.tree.CompoundAssignmentTree tree, Void unused) {
            found[0] |= outer(tree.getVariable());
            return super.visitCompoundAssignment(tree, unused);
          }

          @Override
          public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
            found[0] |= call.getMethodSelect() instanceof MemberSelectTree select && outer(select.getExpression());
            return super.visitMethodInvocation(call, unused);
          }
        };
    scanner.scan(statement.getResources(), null);
    scanner.scan(statement.getBlock(), null);
    return found[0];
  }

  private @Nullable Code code(TreePath path) {
    Flow flow = analysis.flow(path);
    if (flow == null) {
      return null;
    }
    return codes.computeIfAbsent(flow.root().getLeaf(), k -> new Code(flow));
  }

  /** The lambda, inside the code that declares {@code local}, that captures it at {@code read}; null if none. */
  private @Nullable TreePath capturingLambda(TreePath read, VarSymbol local) {
    TreePath capturing = null;
    for (TreePath p = read.getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof LambdaExpressionTree) {
        if (within(local.pos, leaf)) {
          break;
        }
        capturing = p;
      } else if (leaf instanceof MethodTree || leaf instanceof com.sun.source.tree.ClassTree) {
        break;
      }
    }
    return capturing;
  }

  private boolean within(int position, Tree tree) {
    return UnitFacts.contains(tree, position, analysis.state());
  }

  /** The analyses of one method, lambda or initializer. */
  private final class Code {
    private final Flow flow;
    private @Nullable Map<Node, EndTransfer.Event> events;
    private @Nullable Map<ArenaEnd, EndTransfer.Event> eventsByEnd;
    private @Nullable AnalysisResult<FreedUse, EndStore> ends;
    private @Nullable AnalysisResult<Owned, OwnershipStore> ownership;
    private @Nullable List<Leak> leaks;

    Code(Flow flow) {
      this.flow = flow;
    }

    Flow flow() {
      return flow;
    }

    boolean hasEnds() {
      return !events().isEmpty();
    }

    AnalysisResult<FreedUse, EndStore> ends() {
      if (ends == null) {
        AnalysisResult<ArenaValue, ArenaStore> values = flow.values();
        ends = run(new EndTransfer(events(), analysis, node -> {
          ArenaValue value = values.getValue(node);
          return value != null && value.isBacked();
        }));
      }
      return ends;
    }

    AnalysisResult<Owned, OwnershipStore> ownership() {
      if (ownership == null) {
        ownership = run(new OwnershipTransfer(analysis, ArenaLifecycle.this::isClosableCreation));
      }
      return ownership;
    }

    private <V extends AbstractValue<V>, S extends Store<S>, T extends ForwardTransferFunction<V, S>>
        AnalysisResult<V, S> run(T transfer) {
      ForwardAnalysisImpl<V, S, T> forward =
          new ForwardAnalysisImpl<>(transfer) {
            @Override
            protected boolean isIgnoredExceptionType(TypeMirror exception) {
              return IGNORED_EXCEPTIONS.contains(exception.toString()) || isError(exception);
            }
          };
      forward.performAnalysis(flow.cfg());
      return forward.getResult();
    }

    private boolean isError(TypeMirror exception) {
      com.sun.tools.javac.code.Type error = analysis.state().getTypeFromString("java.lang.Error");
      return error != null
          && exception instanceof com.sun.tools.javac.code.Type type
          && analysis.state().getTypes().isSubtype(type, error);
    }

    /** Whether {@code end} frees the memory of {@code backing}. */
    boolean ends(ArenaEnd end, Backing backing) {
      EndTransfer.Event event = eventsByEnd().get(end);
      return event != null && frees(end, event.arenas(), backing);
    }

    /** An end of the backing's arena reachable from {@code sites}, once the site completes. */
    @Nullable ArenaEnd endReachableFrom(Set<Node> sites, Backing backing) {
      Deque<Block> work = new ArrayDeque<>();
      Set<Block> seen = new HashSet<>();
      for (Node site : sites) {
        Block block = site.getBlock();
        if (block == null) {
          continue;
        }
        if (block instanceof ExceptionBlock exceptional) {
          // Only the regular successor: if the site throws, it never happened.
          if (exceptional.getSuccessor() != null && seen.add(exceptional.getSuccessor())) {
            work.add(exceptional.getSuccessor());
          }
          continue;
        }
        List<Node> nodes = block.getNodes();
        for (int i = nodes.indexOf(site) + 1; i < nodes.size(); i++) {
          ArenaEnd end = endAt(nodes.get(i), backing);
          if (end != null) {
            return end;
          }
        }
        for (Block successor : block.getSuccessors()) {
          if (seen.add(successor)) {
            work.add(successor);
          }
        }
      }
      while (!work.isEmpty()) {
        Block block = work.poll();
        for (Node node : block.getNodes()) {
          ArenaEnd end = endAt(node, backing);
          if (end != null) {
            return end;
          }
        }
        for (Block successor : block.getSuccessors()) {
          if (seen.add(successor)) {
            work.add(successor);
          }
        }
      }
      return null;
    }

    private @Nullable ArenaEnd endAt(Node node, Backing backing) {
      EndTransfer.Event event = events().get(node);
      return event != null && event.end().kind() != ArenaEnd.Kind.PHASE_END && ends(event.end(), backing)
          ? event.end()
          : null;
    }

    private Map<ArenaEnd, EndTransfer.Event> eventsByEnd() {
      if (eventsByEnd == null) {
        eventsByEnd = new HashMap<>();
        events().values().forEach(e -> eventsByEnd.put(e.end(), e));
      }
      return eventsByEnd;
    }

    /** Every arena end in the graph, and what it frees. */
    private Map<Node, EndTransfer.Event> events() {
      if (events == null) {
        events = new IdentityHashMap<>();
        if (!analysis.facts().mentionsArenaMemory()) {
          return events;
        }
        Families families = null;
        for (Node node : flow.cfg().getAllNodes()) {
          if (!(node instanceof MethodInvocationNode call)) {
            continue;
          }
          if (families == null && isEnd(call)) {
            families = new Families(flow.root());
          }
          EndTransfer.Event event = families == null ? null : event(call, families);
          if (event != null) {
            events.put(call, event);
          }
        }
      }
      return events;
    }

    private boolean isEnd(MethodInvocationNode call) {
      MethodSymbol method = (MethodSymbol) call.getTarget().getMethod();
      return (method.getSimpleName().contentEquals("close") && method.getParameters().isEmpty())
          || analysis.model(method).resets();
    }

    private EndTransfer.@Nullable Event event(MethodInvocationNode call, Families families) {
      if (!isEnd(call)) {
        return null;
      }
      MethodSymbol method = (MethodSymbol) call.getTarget().getMethod();
      VarSymbol receiver = variable(method.isStatic() ? null : call.getTarget().getReceiver());
      if (receiver == null) {
        return null;
      }
      boolean inSource = call.getInSource() && call.getTree() != null;
      ArenaEnd end;
      ImmutableSet<VariableElement> arenas;
      if (analysis.types().isArena(receiver.type, analysis.state())) {
        ArenaEnd.Kind kind =
            analysis.model(method).resets()
                ? ArenaEnd.Kind.RESET
                : inSource ? ArenaEnd.Kind.CLOSE : ArenaEnd.Kind.BLOCK_END;
        Tree at = kind == ArenaEnd.Kind.BLOCK_END ? resourceStatement(receiver) : call.getTree();
        if (at == null) {
          return null;
        }
        end = new ArenaEnd(kind, receiver, at, position(at, kind));
        arenas = families.of(receiver);
      } else {
        TryTree phase = analysis.facts().resourceStatement(receiver);
        VarSymbol arena = phase == null ? null : phaseArena(phase, receiver);
        if (arena == null) {
          return null;
        }
        // The phase's memory is what was allocated in its block: backings ending at the block.
        int position = inSource ? UnitFacts.start(call.getTree()) : position(phase, ArenaEnd.Kind.PHASE_END);
        end = new ArenaEnd(ArenaEnd.Kind.PHASE_END, arena, phase, position);
        arenas = ImmutableSet.of();
      }
      Map<VariableElement, ImmutableSet<Freed>> kills = new HashMap<>();
      ArenaStore before = flow.values().getStoreBefore(call);
      if (before != null) {
        for (Map.Entry<VariableElement, ArenaValue> local : before.locals().entrySet()) {
          ImmutableSet<Freed> freed =
              local.getValue().backings().stream()
                  .filter(b -> frees(end, arenas, b))
                  .map(b -> new Freed(end, b.origin()))
                  .collect(ImmutableSet.toImmutableSet());
          if (!freed.isEmpty()) {
            kills.put(local.getKey(), freed);
          }
        }
      }
      if (end.kind().closesArena()) {
        for (VariableElement arena : arenas) {
          kills.merge(
              arena,
              ImmutableSet.of(new Freed(end, "arena '" + arena.getSimpleName() + "'")),
              (a, b) -> ImmutableSet.<Freed>builder().addAll(a).addAll(b).build());
        }
      }
      return new EndTransfer.Event(end, arenas, ImmutableMap.copyOf(kills));
    }

    /**
     * The try-with-resources statement that closes {@code arena}: the one declaring it, or one
     * naming an existing variable as its resource ({@code try (arena) {..}}).
     */
    private @Nullable TryTree resourceStatement(VarSymbol arena) {
      TryTree declaring = analysis.facts().resourceStatement(arena);
      if (declaring != null) {
        return declaring;
      }
      TryTree[] naming = {null};
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitTry(TryTree tree, Void unused) {
          for (Tree resource : tree.getResources()) {
            if (resource instanceof ExpressionTree expression && ASTHelpers.getSymbol(expression) == arena) {
              naming[0] = tree;
            }
          }
          return super.visitTry(tree, unused);
        }
      }.scan(flow.root().getLeaf(), null);
      return naming[0];
    }

    private static boolean frees(ArenaEnd end, Set<VariableElement> arenas, Backing backing) {
      if (end.kind() == ArenaEnd.Kind.PHASE_END) {
        return backing.end() == end.at();
      }
      return backing.arena() instanceof VariableElement arena && arenas.contains(arena);
    }

    private static int position(Tree at, ArenaEnd.Kind kind) {
      if (at instanceof TryTree block && kind != ArenaEnd.Kind.CLOSE) {
        return ((JCTree.JCBlock) block.getBlock()).endpos;
      }
      return ((JCTree) at).getStartPosition();
    }

    /** The arena whose {@code phase()} initialises the resource {@code resource} of {@code statement}. */
    private @Nullable VarSymbol phaseArena(TryTree statement, VarSymbol resource) {
      for (Tree tree : statement.getResources()) {
        if (tree instanceof VariableTree variable
            && ASTHelpers.getSymbol(variable) == resource
            && ASTHelpers.stripParentheses(variable.getInitializer()) instanceof MethodInvocationTree init
            && analysis.model(ASTHelpers.getSymbol(init)).phase()
            && UnitFacts.receiverSymbol(init) instanceof VarSymbol arena) {
          return arena;
        }
      }
      return null;
    }

    List<Leak> leaks() {
      if (leaks == null) {
        leaks = computeLeaks();
      }
      return leaks;
    }

    private List<Leak> computeLeaks() {
      if (!analysis.facts().mentionsArenaMemory()) {
        return List.of();
      }
      AnalysisResult<Owned, OwnershipStore> result = ownership();
      Map<Tree, Leak> found = new IdentityHashMap<>();
      OwnershipStore atExit = result.getStoreBefore(flow.cfg().getRegularExitBlock());
      if (atExit != null) {
        for (Tree creation : atExit.open()) {
          Tree at = null;
          for (ReturnNode ret : flow.cfg().getReturnNodes()) {
            OwnershipStore after = result.getStoreAfter(ret);
            if (after != null && after.open().contains(creation) && (at == null || UnitFacts.start(ret.getTree()) < UnitFacts.start(at))) {
              at = ret.getTree();
            }
          }
          found.put(creation, new Leak(creation, closedSomewhere(creation), Exit.RETURN, at));
        }
      }
      OwnershipStore atThrow = result.getStoreBefore(flow.cfg().getExceptionalExitBlock());
      if (atThrow != null) {
        for (Tree creation : atThrow.open()) {
          if (found.containsKey(creation)) {
            continue;
          }
          Tree at =
              atThrow.thrownBy().getOrDefault(creation, ImmutableSet.of()).stream()
                  .min(Comparator.comparingInt(UnitFacts::start))
                  .orElse(null);
          found.put(creation, new Leak(creation, closedSomewhere(creation), Exit.EXCEPTION, at));
        }
      }
      List<Leak> leaks = new ArrayList<>(found.values());
      leaks.sort(Comparator.comparingInt(l -> UnitFacts.start(l.creation())));
      return List.copyOf(leaks);
    }

    /** Whether some node closes or hands on the arena created at {@code creation}. */
    private boolean closedSomewhere(Tree creation) {
      AnalysisResult<Owned, OwnershipStore> result = ownership();
      for (Node node : flow.cfg().getAllNodes()) {
        OwnershipStore before = result.getStoreBefore(node);
        OwnershipStore after = result.getStoreAfter(node);
        if (before != null && after != null && before.open().contains(creation) && !after.open().contains(creation)) {
          return true;
        }
      }
      return false;
    }
  }

  /** The local or field-of-this variable a node denotes; null for anything else. */
  private static @Nullable VarSymbol variable(@Nullable Node node) {
    return EndTransfer.assigned(node) instanceof VarSymbol symbol ? symbol : null;
  }

  /**
   * Arena variables that are one arena (an alias, {@code Arena b = a}) or a subtree of it (a child,
   * {@code a.newChild(..)}), among the arena locals of one method.
   */
  private final class Families {
    private final Map<Symbol, Symbol> aliasOf = new HashMap<>();
    private final Map<Symbol, Symbol> parentOf = new HashMap<>();

    Families(TreePath root) {
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitVariable(VariableTree tree, Void unused) {
          VarSymbol symbol = ASTHelpers.getSymbol(tree);
          LocalArena local = symbol == null ? null : analysis.facts().localArena(symbol);
          if (local != null) {
            Symbol alias = arenaVariable(local.aliasOf());
            if (alias != null) {
              aliasOf.put(symbol, alias);
            } else if (local.kindFrom() != null) {
              ExpressionTree from = ASTHelpers.stripParentheses(local.kindFrom());
              Symbol parent =
                  from instanceof MethodInvocationTree call && call.getMethodSelect() instanceof MemberSelectTree select
                      ? arenaVariable(select.getExpression())
                      : arenaVariable(from);
              if (parent != null) {
                parentOf.put(symbol, parent);
              }
            }
          }
          return super.visitVariable(tree, unused);
        }
      }.scan(root.getLeaf(), null);
    }

    private @Nullable Symbol arenaVariable(@Nullable ExpressionTree expression) {
      if (expression == null) {
        return null;
      }
      Symbol symbol = ASTHelpers.getSymbol(ASTHelpers.stripParentheses(expression));
      return symbol instanceof VarSymbol && analysis.types().isArena(symbol.type, analysis.state()) ? symbol : null;
    }

    /** {@code arena}, the variables that are the same arena, and their descendants. */
    ImmutableSet<VariableElement> of(VarSymbol arena) {
      Set<Symbol> family = new LinkedHashSet<>();
      family.add(arena);
      boolean changed = true;
      while (changed) {
        changed = false;
        for (Symbol member : List.copyOf(family)) {
          Symbol target = aliasOf.get(member);
          if (target != null) {
            changed |= family.add(target);
          }
        }
        for (Map.Entry<Symbol, Symbol> alias : aliasOf.entrySet()) {
          if (family.contains(alias.getValue())) {
            changed |= family.add(alias.getKey());
          }
        }
        for (Map.Entry<Symbol, Symbol> child : parentOf.entrySet()) {
          if (family.contains(child.getValue())) {
            changed |= family.add(child.getKey());
          }
        }
      }
      return family.stream()
          .filter(s -> s instanceof VariableElement)
          .map(s -> (VariableElement) s)
          .collect(ImmutableSet.toImmutableSet());
    }
  }
}
