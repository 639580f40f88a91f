package dev.arenaguard.checker.core;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.processing.JavacProcessingEnvironment;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.util.Context;
import dev.arenaguard.checker.core.UnitFacts.FieldClose;
import dev.arenaguard.checker.core.UnitFacts.LocalArena;
import dev.arenaguard.checker.model.MethodModel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.VariableElement;
import org.checkerframework.errorprone.dataflow.analysis.AnalysisResult;
import org.checkerframework.errorprone.dataflow.analysis.ForwardAnalysisImpl;
import org.checkerframework.errorprone.dataflow.cfg.ControlFlowGraph;
import org.checkerframework.errorprone.dataflow.cfg.UnderlyingAST;
import org.checkerframework.errorprone.dataflow.cfg.block.Block;
import org.checkerframework.errorprone.dataflow.cfg.builder.CFGBuilder;
import org.checkerframework.errorprone.dataflow.cfg.node.Node;
import org.jspecify.annotations.Nullable;

/**
 * The analysis core shared by every arena-guard check, one instance per compilation unit.
 *
 * <p>It answers, for code of that unit:
 *
 * <ul>
 *   <li>{@link #valueOf(TreePath)}: which arenas back the value of an expression, and in which
 *       scope each is valid (flow-sensitive, through locals, branches and loops, computed with
 *       Checker Framework's dataflow as Error Prone ships it);
 *   <li>{@link #storeBefore(TreePath)}: the value of every local before a statement;
 *   <li>{@link #arenaBacking(ExpressionTree, Tree)}: the scope of memory allocated from an arena
 *       expression at a given point (try-with-resources, phase, closed in method, owner field,
 *       parameter, unbounded);
 *   <li>{@link #kindOfArena(ExpressionTree)} / {@link #kindOfCreation(ExpressionTree)}: confined,
 *       shared, auto, global, runtime or pooled;
 *   <li>{@link #model(MethodSymbol)}: what the library models say about a called method;
 *   <li>{@link #facts()}: structural facts (phases, closes, awaits) of the unit.
 * </ul>
 *
 * <p>Checks obtain it with {@link #of(VisitorState, ArenaGuardConfig)} from a matcher.
 */
public final class ArenaAnalysis {

  private static final Context.Key<Holder> KEY = new Context.Key<>();

  private static final class Holder {
    @Nullable ArenaAnalysis current;
  }

  private final CompilationUnitTree unit;
  private final VisitorState state;
  private final ArenaGuardConfig config;
  private final ArenaTypes types;
  private final Map<MethodSymbol, MethodModel> models = new HashMap<>();
  private final Map<Tree, Flow> flows = new IdentityHashMap<>();
  private @Nullable UnitFacts facts;
  private @Nullable ArenaLifecycle lifecycle;

  private ArenaAnalysis(CompilationUnitTree unit, VisitorState state, ArenaGuardConfig config) {
    this.unit = unit;
    this.state = state;
    this.config = config;
    this.types = new ArenaTypes(config);
  }

  /** The analysis of the compilation unit {@code state} is in. */
  public static ArenaAnalysis of(VisitorState state, ArenaGuardConfig config) {
    Holder holder = state.context.get(KEY);
    if (holder == null) {
      holder = new Holder();
      state.context.put(KEY, holder);
    }
    CompilationUnitTree unit = state.getPath().getCompilationUnit();
    ArenaAnalysis analysis = holder.current;
    if (analysis == null || analysis.unit != unit || analysis.config != config) {
      analysis = holder.current = new ArenaAnalysis(unit, state, config);
    }
    return analysis;
  }

  public ArenaTypes types() {
    return types;
  }

  public ArenaGuardConfig config() {
    return config;
  }

  VisitorState state() {
    return state;
  }

  public UnitFacts facts() {
    if (facts == null) {
      if (gatheringFacts) {
        throw new IllegalStateException("UnitFacts needed while they are being gathered");
      }
      gatheringFacts = true;
      try {
        facts = new UnitFacts(unit, this, state);
      } finally {
        gatheringFacts = false;
      }
    }
    return facts;
  }

  private boolean gatheringFacts;

  /** What the library models say about calls to {@code method}. */
  public MethodModel model(@Nullable MethodSymbol method) {
    if (method == null) {
      return MethodModel.NONE;
    }
    return models.computeIfAbsent(method, m -> config.models().modelOf(m, state));
  }

  // ---------------------------------------------------------------------------------------------
  // Values (dataflow)

  /** The arenas behind the value of the expression at {@code path}; {@link ArenaValue#NONE} if none. */
  public ArenaValue valueOf(TreePath path) {
    Tree leaf = path.getLeaf();
    if (!(leaf instanceof ExpressionTree expression) || !facts().mentionsArenaMemory()) {
      return ArenaValue.NONE;
    }
    if (surelyHoldsNoArenaMemory(ASTHelpers.getType(expression))) {
      return ArenaValue.NONE; // without building the code's graph
    }
    AnalysisResult<ArenaValue, ArenaStore> result = resultFor(path);
    if (result == null) {
      return ArenaValue.NONE;
    }
    ArenaValue value = result.getValue(ASTHelpers.stripParentheses(expression));
    // Memory of an arena the method closes is scoped to the close only on paths through it.
    return value == null ? ArenaValue.NONE : lifecycle().atSite(value, path);
  }

  /**
   * Whether no value of {@code type} can be arena memory, whatever it was computed from: a
   * primitive, a string or a box (a copy of what it was read from), an array of primitives, an
   * enum, a JDK collection of such. Most code with a value to judge returns or passes one of
   * these (the struct accessors of jextract output, {@code int x(MemorySegment)}); asking the
   * dataflow about it would build a control-flow graph for the answer the type already gives.
   * Not an arena: a parameter declared {@code @ArenaScoped Arena} is followed as memory.
   */
  private boolean surelyHoldsNoArenaMemory(@Nullable Type type) {
    return type != null && !types.mayHoldArenaMemory(type, state) && !types.isArena(type, state);
  }

  /** When arenas end in each method: use after close, arenas left open, path-sensitive closes. */
  public ArenaLifecycle lifecycle() {
    if (lifecycle == null) {
      lifecycle = new ArenaLifecycle(this);
    }
    return lifecycle;
  }

  /**
   * The control-flow graph of a method, lambda or initializer, and the values computed on it.
   * Further analyses of the same code ({@link ArenaLifecycle}) run on the same graph, so that
   * they can read these values at any node.
   */
  record Flow(TreePath root, ControlFlowGraph cfg, AnalysisResult<ArenaValue, ArenaStore> values) {}

  /** The values of locals just before {@code path}'s leaf runs. */
  public ArenaStore storeBefore(TreePath path) {
    AnalysisResult<ArenaValue, ArenaStore> result = resultFor(path);
    ArenaStore store = result == null ? null : result.getStoreBefore(path.getLeaf());
    return store == null ? ArenaStore.EMPTY : store;
  }

  private @Nullable AnalysisResult<ArenaValue, ArenaStore> resultFor(TreePath path) {
    Flow flow = flow(path);
    return flow == null ? null : flow.values();
  }

  /** The graph and values of the code that holds {@code path}; null outside code. */
  @Nullable Flow flow(TreePath path) {
    TreePath root = enclosingCodeRoot(path);
    if (root == null) {
      return null;
    }
    Tree code = root.getLeaf();
    if (code instanceof MethodTree method && method.getBody() == null) {
      return null;
    }
    Flow flow = flows.get(code);
    if (flow == null) {
      ClassTree classTree = ASTHelpers.findEnclosingNode(root, ClassTree.class);
      UnderlyingAST ast;
      if (code instanceof LambdaExpressionTree lambda) {
        ast = new UnderlyingAST.CFGLambda(lambda, classTree, ASTHelpers.findEnclosingNode(root, MethodTree.class));
      } else if (code instanceof MethodTree method) {
        ast = new UnderlyingAST.CFGMethod(method, classTree);
      } else {
        ast = new UnderlyingAST.CFGStatement(code, classTree);
      }
      // The body's path from the root's: the overload taking the unit would search the whole
      // unit for the body, for every method — quadratic in the size of a file.
      Tree body = ast.getCode();
      TreePath bodyPath = body == code ? root : new TreePath(root, body);
      ControlFlowGraph cfg =
          CFGBuilder.build(bodyPath, ast, false, false, JavacProcessingEnvironment.instance(state.context));
      ForwardAnalysisImpl<ArenaValue, ArenaStore, ArenaTransfer> analysis =
          new ForwardAnalysisImpl<>(new ArenaTransfer(this, ast, root));
      analysis.performAnalysis(cfg);
      flow = new Flow(root, cfg, analysis.getResult());
      flows.put(code, flow);
    }
    return flow;
  }

  /**
   * Whether every path from {@code tree} (a call in a method, lambda or initializer) leaves that
   * code by throwing: it never reaches the code's normal end. A {@code close()} in a handler that
   * cleans up and rethrows is such a call.
   */
  public boolean onlyThrowsAfter(Tree tree) {
    TreePath path = pathOf(tree);
    Flow flow = path == null ? null : flow(path);
    Set<Node> nodes = flow == null ? null : flow.cfg().getNodesCorrespondingToTree(tree);
    if (nodes == null || nodes.isEmpty()) {
      return false;
    }
    Block normalEnd = flow.cfg().getRegularExitBlock();
    Deque<Block> work = new ArrayDeque<>();
    Set<Block> seen = new HashSet<>();
    for (Node node : nodes) {
      if (node.getBlock() != null && seen.add(node.getBlock())) {
        work.add(node.getBlock());
      }
    }
    while (!work.isEmpty()) {
      Block block = work.poll();
      if (block == normalEnd) {
        return false;
      }
      for (Block successor : block.getSuccessors()) {
        if (seen.add(successor)) {
          work.add(successor);
        }
      }
    }
    return true;
  }

  /** The method, lambda, initializer block or field initializer whose dataflow graph holds {@code path}. */
  static @Nullable TreePath enclosingCodeRoot(TreePath path) {
    while (path != null) {
      if (path.getLeaf() instanceof MethodTree) {
        return path;
      }
      TreePath parent = path.getParentPath();
      if (parent != null) {
        if (parent.getLeaf() instanceof ClassTree) {
          if (path.getLeaf() instanceof BlockTree) {
            return path;
          }
          if (path.getLeaf() instanceof VariableTree variable && variable.getInitializer() != null) {
            return path;
          }
        }
        if (parent.getLeaf() instanceof LambdaExpressionTree) {
          return parent;
        }
      }
      path = parent;
    }
    return null;
  }

  /**
   * The value a lambda, anonymous class or local class sees for a local it captures from
   * enclosing code: the value the local has where the lambda or anonymous class is created, or,
   * for a named local class, after the local's declaration (a captured local is effectively
   * final).
   *
   * @param capturing the lambda, the anonymous class's {@code new} expression, or the local class
   */
  ArenaValue capturedValue(VariableElement local, Tree capturing) {
    TreePath capturingPath = pathOf(capturing);
    if (capturingPath == null) {
      return ArenaValue.NONE;
    }
    ArenaStore store = storeBefore(capturingPath);
    if (store.tracks(local)) {
      return store.valueOf(local);
    }
    TreePath outer = enclosingCodeRoot(capturingPath.getParentPath());
    if (outer != null
        && declaration((Symbol) local) instanceof VariableTree declaration
        && declaration.getInitializer() != null
        && isInside(pathOf(declaration), outer.getLeaf())) {
      AnalysisResult<ArenaValue, ArenaStore> result = resultFor(outer);
      ArenaStore after = result == null ? null : result.getStoreAfter(declaration);
      if (after != null && after.tracks(local)) {
        return after.valueOf(local);
      }
    }
    Tree outerCapturing = outer == null ? null : capturingTree(outer);
    if (outerCapturing != null) {
      return capturedValue(local, outerCapturing);
    }
    return ArenaValue.NONE;
  }

  /** Whether {@code ancestor} is on {@code path} (the leaf included); false for no path. */
  private static boolean isInside(@Nullable TreePath path, Tree ancestor) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() == ancestor) {
        return true;
      }
    }
    return false;
  }

  /**
   * The tree that captures locals for the code at {@code root} (a dataflow root): the lambda
   * itself, the {@code new} expression of an anonymous class, or a local class declaration, whose
   * methods, initializers and field initializers see the captured locals; null for other code.
   */
  static @Nullable Tree capturingTree(TreePath root) {
    if (root.getLeaf() instanceof LambdaExpressionTree lambda) {
      return lambda;
    }
    TreePath classPath = root.getParentPath();
    if (classPath == null || !(classPath.getLeaf() instanceof ClassTree classTree)) {
      return null;
    }
    TreePath parent = classPath.getParentPath();
    if (parent != null && parent.getLeaf() instanceof com.sun.source.tree.NewClassTree creation) {
      return creation; // an anonymous class
    }
    Symbol.ClassSymbol symbol = ASTHelpers.getSymbol(classTree);
    return symbol != null && symbol.isDirectlyOrIndirectlyLocal() && parent != null
            && !(parent.getLeaf() instanceof CompilationUnitTree)
            && !(parent.getLeaf() instanceof ClassTree)
        ? classTree
        : null;
  }

  // ---------------------------------------------------------------------------------------------
  // Declarations and fields read back

  private @Nullable Map<Symbol, Tree> declarationTrees;

  /**
   * The declaration in this unit of a variable ({@link VariableTree}), method ({@link MethodTree})
   * or class ({@link ClassTree}); null when it is declared elsewhere.
   */
  public @Nullable Tree declaration(@Nullable Symbol symbol) {
    if (declarationTrees == null) {
      Map<Symbol, Tree> map = new HashMap<>();
      new com.sun.source.util.TreeScanner<Void, Void>() {
        @Override
        public Void visitVariable(VariableTree tree, Void unused) {
          map.put(ASTHelpers.getSymbol(tree), tree);
          return super.visitVariable(tree, unused);
        }

        @Override
        public Void visitMethod(MethodTree tree, Void unused) {
          map.put(ASTHelpers.getSymbol(tree), tree);
          return super.visitMethod(tree, unused);
        }

        @Override
        public Void visitClass(ClassTree tree, Void unused) {
          map.put(ASTHelpers.getSymbol(tree), tree);
          return super.visitClass(tree, unused);
        }
      }.scan(unit, null);
      declarationTrees = map;
    }
    return symbol == null ? null : declarationTrees.get(symbol);
  }

  private final Map<Symbol, ArenaValue> fieldValues = new HashMap<>();
  private final java.util.Set<Symbol> fieldsInProgress = new java.util.HashSet<>();

  /**
   * What an instance field of a class in this unit holds when read back: {@link #writtenTo} with
   * {@code surely}, the memory every write stores. Cached per field.
   */
  ArenaValue fieldValue(VarSymbol field) {
    ArenaValue known = fieldValues.get(field);
    if (known != null) {
      return known;
    }
    if (!fieldsInProgress.add(field)) {
      return ArenaValue.NONE; // a cycle of fields written from each other: no value
    }
    ArenaValue value;
    try {
      value = writtenTo(field, true);
    } finally {
      fieldsInProgress.remove(field);
    }
    fieldValues.put(field, value);
    return value;
  }

  /**
   * The memory of the object's own arena ({@link ScopeKind#OWNER}), or of an unbounded arena, that
   * the writes of the instance field {@code field} in this unit store. Only fields a parameter
   * could borrow ({@code MemorySegment}, arena-scoped types) are considered.
   *
   * @param surely whether to answer what the field surely holds: such memory when every write
   *     stores it or cannot store arena memory at all ({@code null}, {@code MemorySegment.NULL}:
   *     {@link #holdsNoArenaMemory}), else none. A field also written with anything else — a
   *     parameter, an unmodelled call's result — may hold memory of unknown origin and is not
   *     arena-backed when read (SPEC §2.0.2); a write of a closing or parameter arena's memory is
   *     reported at the write. Without {@code surely}: what any write may store (a task that reads
   *     the field on another thread fails whenever it holds confined memory).
   */
  public ArenaValue writtenTo(VarSymbol field, boolean surely) {
    if (field.isStatic() || !types.isPossiblyArenaBacked(field, state)) {
      return ArenaValue.NONE;
    }
    ArenaValue value = ArenaValue.NONE;
    for (ExpressionTree write : facts().writesOf(field)) {
      TreePath path = pathOf(write);
      ArenaValue written =
          path == null
              ? ArenaValue.NONE
              : valueOf(path).filter(b -> b.scope() == ScopeKind.OWNER || !b.scope().isBounded());
      if (surely && !written.isBacked() && !holdsNoArenaMemory(write)) {
        return ArenaValue.NONE;
      }
      value = value.union(written);
    }
    return value;
  }

  /**
   * Whether {@code expression} cannot be memory of an arena whose scope ends: {@code null}; a
   * read of a static final field ({@code MemorySegment.NULL}, a constant {@code EMPTY =
   * MemorySegment.ofArray(new byte[0])}: a static outlives every arena, and keeping memory that
   * dangles in one is an escape of its own); a field, or the result of a method, declared
   * {@code @OutlivesArena} in the code or in a library model ({@code MemorySegment.ofArray(..)},
   * a heap segment); a conditional both of whose branches are such.
   */
  public boolean holdsNoArenaMemory(ExpressionTree expression) {
    ExpressionTree stripped = ASTHelpers.stripParentheses(expression);
    if (stripped.getKind() == Tree.Kind.NULL_LITERAL) {
      return true;
    }
    if (stripped instanceof TypeCastTree cast) {
      return holdsNoArenaMemory(cast.getExpression());
    }
    if (stripped instanceof ConditionalExpressionTree conditional) {
      return holdsNoArenaMemory(conditional.getTrueExpression()) && holdsNoArenaMemory(conditional.getFalseExpression());
    }
    Symbol symbol = ASTHelpers.getSymbol(stripped);
    if (stripped instanceof MethodInvocationTree && symbol instanceof MethodSymbol method) {
      return model(method).outlivesResult() || ArenaTypes.enforcedOutlivesArena(method);
    }
    if ((stripped instanceof IdentifierTree || stripped instanceof MemberSelectTree)
        && symbol instanceof VarSymbol variable
        && variable.getKind() == ElementKind.FIELD) {
      return (variable.isStatic() && (variable.flags() & Flags.FINAL) != 0)
          || ArenaTypes.enforcedOutlivesArena(variable);
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Arenas and scopes (structural)

  /**
   * The scope of memory allocated from the arena {@code arena} by code at {@code site}; null when
   * the arena is not visible (an unmodelled call's result): such memory is not arena-backed.
   *
   * @param arena an expression whose type is an arena
   * @param site the allocating expression, used to find an enclosing phase or close
   */
  public @Nullable Backing arenaBacking(ExpressionTree arena, Tree site) {
    return arenaBacking(arena, site, 0);
  }

  private @Nullable Backing arenaBacking(ExpressionTree arenaExpression, Tree site, int depth) {
    ExpressionTree arena = ASTHelpers.stripParentheses(arenaExpression);
    if (depth > 4) {
      return null;
    }
    if (arena instanceof MethodInvocationTree call) {
      Symbol threadLocal = types.threadLocalOfArenas(call, state);
      if (threadLocal != null) {
        // The calling thread's arena of a ThreadLocal: nobody closes it while the thread lives.
        return backing(
            ScopeKind.UNCLOSED,
            facts().kindOfField(threadLocal),
            "memory of the thread-local arena '" + threadLocal.getSimpleName() + "'",
            threadLocal,
            null,
            null);
      }
      ArenaKind created = kindOfCreation(call);
      if (created == ArenaKind.GLOBAL) {
        return backing(ScopeKind.GLOBAL, created, "memory of Arena.global()", null, null, null);
      }
      if (created == ArenaKind.AUTO) {
        return backing(ScopeKind.AUTO, created, "memory of an automatic arena", null, null, null);
      }
      if (model(ASTHelpers.getSymbol(call)).newArena().isPresent()) {
        // A fresh arena nobody closes: its memory never dangles (ArenaNotClosed reports the leak).
        return backing(ScopeKind.UNCLOSED, created, "memory of an arena never closed", null, null, null);
      }
      return null;
    }
    Symbol symbol = ASTHelpers.getSymbol(arena);
    if (!(symbol instanceof VarSymbol variable)) {
      return null;
    }
    String name = "'" + variable.getSimpleName() + "'";
    Backing phase = phaseBacking(variable, site, name);
    if (phase != null) {
      return phase;
    }
    switch (variable.getKind()) {
      case LOCAL_VARIABLE, RESOURCE_VARIABLE -> {
        LocalArena local = facts().localArena(variable);
        if (local == null) {
          return null;
        }
        if (local.aliasOf() != null) {
          Backing aliased = arenaBacking(local.aliasOf(), site, depth + 1);
          if (aliased != null) {
            return aliased;
          }
        }
        String origin = "memory of arena " + name;
        ArenaKind kind = kindOfLocal(variable);
        if (kind == ArenaKind.GLOBAL) {
          return backing(ScopeKind.GLOBAL, kind, origin, variable, null, local.declaredIn());
        }
        if (kind == ArenaKind.AUTO) {
          return backing(ScopeKind.AUTO, kind, origin, variable, null, local.declaredIn());
        }
        if (local.resourceOf() != null) {
          return backing(ScopeKind.BLOCK, kind, origin, variable, local.resourceOf(), local.declaredIn());
        }
        if (!local.closes().isEmpty()) {
          return backing(
              ScopeKind.CLOSED_IN_METHOD, kind, origin, variable, local.closes().getFirst(), local.declaredIn());
        }
        if (local.ownedByThis()) {
          return backing(ScopeKind.OWNER, kind, origin, variable, null, local.declaredIn());
        }
        return backing(ScopeKind.UNCLOSED, kind, origin, variable, null, local.declaredIn());
      }
      case PARAMETER -> {
        ScopeKind scope = facts().isOwnedParameter(variable) ? ScopeKind.OWNER : ScopeKind.PARAMETER;
        return backing(scope, ArenaKind.UNKNOWN, "memory of parameter arena " + name, variable, null, declaringMethodOrLambda(variable));
      }
      case FIELD -> {
        ArenaKind kind = facts().kindOfField(variable);
        String origin = "memory of arena field " + name;
        if (kind == ArenaKind.GLOBAL || kind == ArenaKind.AUTO) {
          return backing(kind == ArenaKind.GLOBAL ? ScopeKind.GLOBAL : ScopeKind.AUTO, kind, origin, variable, null, null);
        }
        MethodTree siteMethod = enclosingMethod(site);
        for (FieldClose close : facts().closesOfField(variable)) {
          if (close.method() != null && close.method() == siteMethod) {
            return backing(ScopeKind.CLOSED_IN_METHOD, kind, origin, variable, close.call(), null);
          }
        }
        if (variable.isStatic()) {
          return backing(ScopeKind.UNCLOSED, kind, origin, variable, null, null);
        }
        boolean onThis = UnitFacts.isOnThis(arena);
        return backing(onThis ? ScopeKind.OWNER : ScopeKind.RECEIVER, kind, origin, variable, null, null);
      }
      default -> {
        return null;
      }
    }
  }

  private @Nullable Backing phaseBacking(VarSymbol arena, Tree site, String name) {
    int position = UnitFacts.start(site);
    TryTree innermost = null;
    for (TryTree phase : facts().phasesOf(arena)) {
      JCTree.JCBlock block = (JCTree.JCBlock) phase.getBlock();
      if (block.getStartPosition() <= position && position <= block.endpos) {
        if (innermost == null || UnitFacts.start(phase) > UnitFacts.start(innermost)) {
          innermost = phase;
        }
      }
    }
    if (innermost == null) {
      return null;
    }
    ArenaKind kind =
        arena.getKind() == ElementKind.FIELD ? facts().kindOfField(arena) : kindOfLocal(arena);
    if (kind == ArenaKind.RUNTIME_SHARED) {
      // A phase of a shared runtime arena belongs to the thread that opened it, and so does the
      // memory allocated in it.
      kind = ArenaKind.RUNTIME_CONFINED;
    }
    return backing(ScopeKind.BLOCK, kind, "memory allocated from " + name + " in a phase", arena, innermost, null);
  }

  /** The locals whose kind {@link #kindOfLocal} is resolving: the chain of aliases followed. */
  private final Set<Symbol> kindsResolving = new HashSet<>();

  private ArenaKind kindOfLocal(Symbol symbol) {
    LocalArena local = facts().localArena(symbol);
    if (local == null) {
      return ArenaKind.UNKNOWN;
    }
    if ((local.kind() == ArenaKind.UNKNOWN || local.kind() == ArenaKind.POOLED) && local.kindFrom() != null) {
      // An alias of another arena, a child arena (its parent's kind), a builder's arena or a
      // pool's lease (the builder's or pool's kind): known only once the unit's facts are.
      // Locals can take each other's arenas in a cycle (t = front; front = back; back = t): a
      // local met again on the chain tells nothing more.
      if (!kindsResolving.add(symbol)) {
        return ArenaKind.UNKNOWN;
      }
      try {
        ArenaKind kind = kindOfArena(local.kindFrom());
        return kind == ArenaKind.UNKNOWN ? local.kind() : kind;
      } finally {
        kindsResolving.remove(symbol);
      }
    }
    return local.kind();
  }

  private static Backing backing(
      ScopeKind scope, ArenaKind kind, String origin, @Nullable Symbol arena, @Nullable Tree end, @Nullable Tree declaredIn) {
    return new Backing(scope, kind, origin, arena, end, declaredIn, true);
  }

  /** The kind of the arena {@code arena} denotes, {@link ArenaKind#UNKNOWN} if not visible. */
  public ArenaKind kindOfArena(ExpressionTree arena) {
    ExpressionTree stripped = ASTHelpers.stripParentheses(arena);
    if (stripped instanceof MethodInvocationTree) {
      Symbol threadLocal = types.threadLocalOfArenas(stripped, state);
      return threadLocal != null ? facts().kindOfField(threadLocal) : kindOfCreation(stripped);
    }
    Symbol symbol = ASTHelpers.getSymbol(stripped);
    if (symbol == null) {
      return ArenaKind.UNKNOWN;
    }
    if (symbol.getKind() == ElementKind.FIELD) {
      return facts().kindOfField(symbol);
    }
    return kindOfLocal(symbol);
  }

  /**
   * The kind of arena {@code expression} creates: a modelled factory ({@code Arena.ofConfined()},
   * {@code pool.acquire()}, {@code arena.newChild(..)}), or a static factory returning an arena
   * whose name says {@code confined} or {@code shared}. {@link ArenaKind#UNKNOWN} otherwise.
   */
  public ArenaKind kindOfCreation(ExpressionTree expression) {
    return kindOfCreation(expression, true);
  }

  /**
   * {@link #kindOfCreation(ExpressionTree)}; with {@code resolveChildren} false a child arena's
   * kind is {@link ArenaKind#UNKNOWN} instead of its parent's (used while the unit's facts, which
   * that lookup needs, are being gathered).
   */
  ArenaKind kindOfCreation(ExpressionTree expression, boolean resolveChildren) {
    if (!(ASTHelpers.stripParentheses(expression) instanceof MethodInvocationTree call)) {
      return ArenaKind.UNKNOWN;
    }
    MethodSymbol method = ASTHelpers.getSymbol(call);
    if (method == null) {
      return ArenaKind.UNKNOWN;
    }
    MethodModel model = model(method);
    if (model.newArena().isPresent()) {
      ArenaKind kind = model.newArena().get();
      if ((kind == ArenaKind.UNKNOWN || kind == ArenaKind.POOLED)
          && !method.isStatic()
          && call.getMethodSelect() instanceof MemberSelectTree select) {
        ExpressionTree receiver = select.getExpression();
        if (kind == ArenaKind.POOLED) {
          return kindOfFactory(receiver, resolveChildren, 0).pooled(); // a lease of the pool's kind
        }
        if (!types.isArena(ASTHelpers.getType(receiver), state)) {
          return kindOfFactory(receiver, resolveChildren, 0); // builder.build()
        }
        if (resolveChildren) {
          return kindOfArena(receiver); // a child arena has its parent's kind
        }
      }
      return kind;
    }
    if (method.isStatic() && types.isArena(method.getReturnType(), state)) {
      return ArenaTypes.kindOfFactory(method, model.newArena());
    }
    return ArenaKind.UNKNOWN;
  }

  /**
   * The kind of arenas {@code expression} makes when it is an arena factory, a builder or a pool
   * ({@code ArenaPool.ofConfined(..)}, {@code BumpArena.builder(..).shared()}, a variable
   * initialised with one); {@link ArenaKind#UNKNOWN} otherwise. Stubs say which calls make
   * factories ({@code @ArenaFactory}); a builder method returning its receiver's type keeps the
   * receiver's kind.
   */
  public ArenaKind kindOfFactory(ExpressionTree expression) {
    return kindOfFactory(expression, true, 0);
  }

  /** With {@code useFacts} false (while facts are gathered), variables are not followed. */
  ArenaKind kindOfFactory(ExpressionTree expression, boolean useFacts, int depth) {
    ExpressionTree factory = ASTHelpers.stripParentheses(expression);
    if (depth > 16) {
      return ArenaKind.UNKNOWN;
    }
    if (factory instanceof MethodInvocationTree call) {
      MethodSymbol method = ASTHelpers.getSymbol(call);
      if (method == null) {
        return ArenaKind.UNKNOWN;
      }
      ExpressionTree receiver =
          !method.isStatic() && call.getMethodSelect() instanceof MemberSelectTree select ? select.getExpression() : null;
      Optional<ArenaKind> made = model(method).arenaFactory();
      if (made.isPresent()) {
        if (made.get() != ArenaKind.UNKNOWN) {
          return made.get();
        }
        ArenaKind kind = receiver == null ? ArenaKind.UNKNOWN : kindOfFactory(receiver, useFacts, depth + 1);
        for (ExpressionTree argument : call.getArguments()) {
          kind = kind != ArenaKind.UNKNOWN ? kind : kindOfFactory(argument, useFacts, depth + 1);
        }
        return kind;
      }
      Type receiverType = receiver == null ? null : ASTHelpers.getType(receiver);
      if (receiverType != null
          && state.getTypes().isSameType(state.getTypes().erasure(method.getReturnType()), state.getTypes().erasure(receiverType))) {
        return kindOfFactory(receiver, useFacts, depth + 1); // a fluent builder method
      }
      return ArenaKind.UNKNOWN;
    }
    Symbol variable = ASTHelpers.getSymbol(factory);
    return useFacts && variable instanceof VarSymbol ? facts().factoryKind(variable) : ArenaKind.UNKNOWN;
  }

  /** The method or lambda declaring a parameter, null if not in this unit. */
  public @Nullable Tree declaringMethodOrLambda(Symbol parameter) {
    TreePath path = declaration(parameter) instanceof VariableTree variable ? pathOf(variable) : null;
    Tree parent = path == null ? null : path.getParentPath().getLeaf();
    return parent instanceof MethodTree || parent instanceof LambdaExpressionTree ? parent : null;
  }

  private @Nullable MethodTree enclosingMethod(Tree site) {
    TreePath path = pathOf(site);
    return path == null ? null : ASTHelpers.findEnclosingNode(path, MethodTree.class);
  }

  private @Nullable Map<Tree, TreePath> paths;

  /**
   * The path from the unit to {@code tree}, as {@link TreePath#getPath(CompilationUnitTree, Tree)}
   * finds it; null if {@code tree} is not in this unit. The unit is walked once, the first time a
   * path is asked for: a walk per question would be quadratic in the size of a file.
   */
  public @Nullable TreePath pathOf(Tree tree) {
    if (paths == null) {
      Map<Tree, TreePath> map = new IdentityHashMap<>();
      new com.sun.source.util.TreePathScanner<Void, Void>() {
        @Override
        public Void scan(Tree node, Void unused) {
          if (node != null) {
            // The first path found, the one TreePath.getPath would return.
            map.putIfAbsent(node, new TreePath(getCurrentPath(), node));
          }
          return super.scan(node, unused);
        }
      }.scan(unit, null);
      paths = map;
    }
    return paths.get(tree);
  }
}
