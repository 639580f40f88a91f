package dev.arenaguard.checker.core;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.tree.JCTree;
import dev.arenaguard.checker.model.MethodModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * The thread model (SPEC §2.0.3): where code hands something to another thread, what memory goes
 * with it, and whether the task is awaited before a scope ends.
 *
 * <p>Handoffs are the {@code @HandsOff} arguments of modelled calls ({@code Executor.execute},
 * {@code new Thread(r)}, {@code CompletableFuture.supplyAsync}, ...), receivers of {@code
 * @HandsOff} methods ({@code task.fork()}, {@code thread.start()}), and parallel streams: the
 * elements of a stream made parallel, and the functions given to its operations.
 *
 * <p>What goes with a task is its value (a lambda carries the locals and arenas it captures),
 * the arena fields and arena-backed fields its body uses (directly or through methods of this
 * class it calls), the arenas and memory
 * given to the constructor of a task object, and objects it captures whose class keeps a
 * confined arena in a field.
 *
 * <p>Which check reports what is decided here, once (SPEC §2.0.1): memory of a confined arena on
 * another thread is {@code ArenaThreadConfinement}'s finding, awaited or not ({@link
 * #fromConfinedArenas}); memory of any other bounded arena whose task may outlive the arena's
 * scope is {@code ArenaEscape}'s ({@link #outlivingTheArena}).
 *
 * <p>A handoff is awaited when the handing-off method itself waits ({@code invokeAll}, {@code
 * ForkJoinPool.invoke}, parallel streams); when it goes to an executor declared in a
 * try-with-resources statement that closes (and so waits) inside the scope; when its result is
 * waited for at once ({@code submit(..).get()}); or when the future, thread or task it returns or
 * forks is kept in a local on which an {@code @Awaits} method ({@code get}, {@code join}) is
 * called later inside the scope.
 */
public final class Threads {
  private Threads() {}

  /** How a call hands something to another thread. */
  public enum HandoffKind {
    /** An argument runs on another thread: {@code executor.execute(task)}, {@code new Thread(task)}. */
    TASK,
    /** The receiver runs on another thread: {@code task.fork()}, {@code thread.start()}. */
    RECEIVER,
    /** The elements of a stream made parallel: {@code list.parallelStream()}, {@code s.parallel()}. */
    PARALLEL_ELEMENTS,
    /** A function given to an operation of a parallel stream: it runs on pool threads. */
    PARALLEL_OPERATION;

    /** Whether the call that starts the work also waits for it (a stream's terminal operation). */
    public boolean awaitedByConstruction() {
      return this == PARALLEL_ELEMENTS || this == PARALLEL_OPERATION;
    }
  }

  /**
   * Something a call hands to another thread.
   *
   * @param call the method or constructor call that hands it over, where diagnostics go
   * @param handed what goes to the other thread: a task argument, the receiver task, the stream
   * @param method the method called
   * @param kind how it is handed over
   * @param receiver the call's receiver, if any (for a parallel operation, the stream)
   */
  public record Handoff(
      Tree call, ExpressionTree handed, MethodSymbol method, HandoffKind kind, @Nullable ExpressionTree receiver) {

    /** The handoff in the user's words, for diagnostics: {@code 'submit'}, {@code a parallel stream}. */
    public String how() {
      return switch (kind) {
        case TASK, RECEIVER -> "'" + new Call(call, method, List.of(), null).name() + "'";
        case PARALLEL_ELEMENTS -> "'" + method.getSimpleName() + "()', which processes the elements on other threads";
        case PARALLEL_OPERATION -> "'" + method.getSimpleName() + "' of a parallel stream, which runs it on other threads";
      };
    }
  }

  /** The handoffs the call at {@code callPath} (a method or constructor call) makes; usually none. */
  public static List<Handoff> handoffsAt(TreePath callPath, ArenaAnalysis analysis, VisitorState state) {
    Call parsed = Call.of(callPath.getLeaf());
    if (parsed == null) {
      return List.of();
    }
    Tree call = parsed.tree();
    MethodSymbol method = parsed.method();
    List<? extends ExpressionTree> arguments = parsed.arguments();
    ExpressionTree receiver = parsed.receiver();
    List<Handoff> handoffs = new ArrayList<>();
    MethodModel model = analysis.model(method);
    int arity = method.getParameters().size();
    for (int i = 0; i < arguments.size(); i++) {
      if (MethodModel.has(model.handsOffParams(), i, arity, method.isVarArgs())) {
        handoffs.add(new Handoff(call, arguments.get(i), method, HandoffKind.TASK, receiver));
      }
    }
    if (model.handsOffReceiver() && receiver != null) {
      handoffs.add(new Handoff(call, receiver, method, HandoffKind.RECEIVER, receiver));
    }
    if (receiver != null && makesParallel(method, state)) {
      handoffs.add(new Handoff(call, receiver, method, HandoffKind.PARALLEL_ELEMENTS, receiver));
    } else if (receiver != null && isStream(method.owner.type, state) && isParallelStream(receiver, analysis, state, 0)) {
      for (ExpressionTree argument : arguments) {
        handoffs.add(new Handoff(call, argument, method, HandoffKind.PARALLEL_OPERATION, receiver));
      }
    }
    return handoffs;
  }

  // ---------------------------------------------------------------------------------------------
  // What goes with a task

  /**
   * The memory that goes to the other thread with {@code handoff}: the handed value, plus what
   * its body or construction carries (see the class documentation). For an operation of a
   * parallel stream, memory the stream itself holds is left out: it went to other threads where
   * the stream was made parallel, and is reported there.
   */
  public static ArenaValue handedValue(
      Handoff handoff, TreePath callPath, ArenaAnalysis analysis, VisitorState state) {
    TreePath handedPath = new TreePath(callPath, handoff.handed());
    ArenaValue value = analysis.valueOf(handedPath).union(carried(handedPath, analysis, state, 0));
    if (handoff.kind() == HandoffKind.PARALLEL_OPERATION && handoff.receiver() != null) {
      ImmutableSet<Backing> ofStream = analysis.valueOf(new TreePath(callPath, handoff.receiver())).backings();
      value = value.filter(b -> !ofStream.contains(b));
    }
    return value;
  }

  private static ArenaValue carried(TreePath path, ArenaAnalysis analysis, VisitorState state, int depth) {
    ExpressionTree handed = ASTHelpers.stripParentheses((ExpressionTree) path.getLeaf());
    if (depth > 3) {
      return ArenaValue.NONE;
    }
    if (handed instanceof LambdaExpressionTree || handed instanceof MemberReferenceTree) {
      return usedBy(new TreePath(path, handed), analysis, state, 0);
    }
    if (handed instanceof NewClassTree creation) {
      ArenaValue value = ArenaValue.NONE;
      MethodSymbol constructor = ASTHelpers.getSymbol(creation);
      MethodModel model = analysis.model(constructor);
      List<? extends ExpressionTree> arguments = creation.getArguments();
      int arity = constructor == null ? 0 : constructor.getParameters().size();
      for (int i = 0; i < arguments.size(); i++) {
        if (constructor != null && MethodModel.has(model.handsOffParams(), i, arity, constructor.isVarArgs())) {
          continue; // new Thread(task): the task is a handoff of its own, reported there
        }
        // A task object given an arena or memory uses them where it runs.
        ExpressionTree argument = arguments.get(i);
        TreePath argumentPath = new TreePath(new TreePath(path, creation), argument);
        value = value.union(analysis.valueOf(argumentPath)).union(carried(argumentPath, analysis, state, depth + 1));
        if (analysis.types().isArena(ASTHelpers.getType(argument), state)) {
          Backing arena = analysis.arenaBacking(argument, argument);
          value = arena == null ? value : value.union(ArenaValue.of(arena));
        }
      }
      Tree body = creation.getClassBody();
      if (body == null && constructor != null && ((ClassSymbol) constructor.owner).isDirectlyOrIndirectlyLocal()) {
        body = analysis.declaration(constructor.owner);
      }
      TreePath bodyPath = body == null ? null : analysis.pathOf(body);
      return bodyPath == null ? value : value.union(usedBy(bodyPath, analysis, state, 0));
    }
    Symbol symbol = ASTHelpers.getSymbol(handed);
    if (symbol instanceof VarSymbol local
        && UnitFacts.isLocal(local)
        && analysis.declaration(local) instanceof VariableTree declaration
        && declaration.getInitializer() != null) {
      // Runnable task = new Worker(arena); executor.submit(task);
      TreePath initializer = analysis.pathOf(declaration.getInitializer());
      return initializer == null ? ArenaValue.NONE : carried(initializer, analysis, state, depth + 1);
    }
    return ArenaValue.NONE;
  }

  /**
   * What the code at {@code path} (a lambda, method reference, class body or method) uses that
   * its value does not show: arenas in fields ({@code this.arena.allocate(..)}, a static or
   * thread-local arena), fields holding memory of this object's arena, the same in methods of this
   * class it calls (two calls deep), and captured objects whose class keeps a confined arena.
   */
  private static ArenaValue usedBy(TreePath path, ArenaAnalysis analysis, VisitorState state, int depth) {
    ArenaValue[] value = {ArenaValue.NONE};
    Tree code = path.getLeaf();
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        use(tree);
        return null;
      }

      @Override
      public Void visitMemberSelect(MemberSelectTree tree, Void unused) {
        use(tree);
        return super.visitMemberSelect(tree, unused);
      }

      private void use(ExpressionTree tree) {
        Symbol symbol = ASTHelpers.getSymbol(tree);
        if (!(symbol instanceof VarSymbol variable)) {
          return;
        }
        if (variable.getKind() == ElementKind.FIELD) {
          if (analysis.types().isArena(variable.type, state)
              || analysis.types().isAllocator(variable.type, state)) {
            Backing arena = analysis.arenaBacking(tree, tree);
            value[0] = arena == null ? value[0] : value[0].union(ArenaValue.of(arena));
          } else if (!variable.isStatic()) {
            value[0] = value[0].union(analysis.valueOf(getCurrentPath()));
            if (UnitFacts.isOnThis(tree)) {
              value[0] = value[0].union(analysis.writtenTo(variable, false));
            }
          }
        } else if (UnitFacts.isLocal(variable)
            && !variable.getSimpleName().contentEquals("this")
            && declaredOutside(variable, code, state)) {
          value[0] = value[0].union(ownedConfinedArenas(variable, calledOn(getCurrentPath()), analysis, state));
        }
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        // (A ThreadLocal's arena read inside the task is the running thread's own: fine.)
        MethodSymbol method = ASTHelpers.getSymbol(tree);
        if (method != null && !method.isStatic() && UnitFacts.isOnThis(tree.getMethodSelect())) {
          value[0] = value[0].union(usedByMethod(method, analysis, state, depth));
        }
        return super.visitMethodInvocation(tree, unused);
      }

      @Override
      public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
        if (ASTHelpers.getSymbol(tree) instanceof MethodSymbol method
            && !method.isStatic()
            && tree.getQualifierExpression() instanceof IdentifierTree qualifier
            && qualifier.getName().contentEquals("this")) {
          value[0] = value[0].union(usedByMethod(method, analysis, state, depth));
        }
        return super.visitMemberReference(tree, unused);
      }
    }.scan(path, null);
    return value[0];
  }

  private static ArenaValue usedByMethod(MethodSymbol method, ArenaAnalysis analysis, VisitorState state, int depth) {
    if (depth >= 2 || !(analysis.declaration(method) instanceof MethodTree declaration) || declaration.getBody() == null) {
      return ArenaValue.NONE;
    }
    TreePath body = analysis.pathOf(declaration.getBody());
    return body == null ? ArenaValue.NONE : usedBy(body, analysis, state, depth + 1);
  }

  /**
   * The method called on the object at {@code use} ({@code m} in {@code s.m(..)} or {@code
   * s::m}); null when the object is used otherwise (passed on, stored).
   */
  private static @Nullable MethodSymbol calledOn(TreePath use) {
    Tree parent = use.getParentPath().getLeaf();
    if (parent instanceof MemberReferenceTree reference) {
      return ASTHelpers.getSymbol(reference) instanceof MethodSymbol method ? method : null;
    }
    if (parent instanceof MemberSelectTree select
        && use.getParentPath().getParentPath().getLeaf() instanceof MethodInvocationTree invocation
        && invocation.getMethodSelect() == select) {
      return ASTHelpers.getSymbol(invocation);
    }
    return null;
  }

  /**
   * The confined arenas an object held in {@code local} keeps in its fields, when its class is
   * declared in this unit: handing the object to another thread hands them too (SPEC §5: "objects
   * keep Arena.ofConfined() in a field, and are later used from an executor"). When the task only
   * calls {@code called} on it, only the arenas that method uses (directly or through the class's
   * other methods) count.
   */
  private static ArenaValue ownedConfinedArenas(
      VarSymbol local, @Nullable MethodSymbol called, ArenaAnalysis analysis, VisitorState state) {
    if (!(local.type != null && local.type.tsym instanceof ClassSymbol type)
        || !(analysis.declaration(type) instanceof ClassTree declaration)) {
      return ArenaValue.NONE;
    }
    ArenaValue value = ArenaValue.NONE;
    for (Symbol member : type.members().getSymbols(s -> s.getKind() == ElementKind.FIELD && !s.isStatic())) {
      ArenaKind kind = analysis.facts().kindOfField(member);
      if (!kind.isConfined()
          || !analysis.types().isArena(member.type, state)
          || (called != null && called.owner == type && !usersOf(declaration, arenaAndItsMemory(type, member, analysis, state)).contains(called))) {
        continue;
      }
      value =
          value.union(
              ArenaValue.of(
                  new Backing(
                      ScopeKind.OWNER,
                      kind,
                      "object '" + local.getSimpleName() + "', which keeps confined arena '"
                          + type.getSimpleName() + "." + member.getSimpleName() + "' in a field",
                      member,
                      null,
                      null,
                      false)));
    }
    return value;
  }

  /**
   * The arena field and the fields of the class that may hold its memory ({@code buf =
   * arena.allocate(..)}).
   */
  private static Set<Symbol> arenaAndItsMemory(
      ClassSymbol type, Symbol arena, ArenaAnalysis analysis, VisitorState state) {
    Set<Symbol> fields = new HashSet<>();
    fields.add(arena);
    for (Symbol member : type.members().getSymbols(s -> s.getKind() == ElementKind.FIELD && !s.isStatic())) {
      if (member instanceof VarSymbol field
          && analysis.writtenTo(field, false).backings().stream().anyMatch(b -> b.arena() == arena)) {
        fields.add(field);
      }
    }
    return fields;
  }

  /**
   * The methods of {@code type} that use one of {@code fields}: directly, or by calling a method
   * of the class that does.
   */
  public static Set<MethodSymbol> usersOf(ClassTree type, Set<? extends Symbol> fields) {
    Map<MethodSymbol, Set<MethodSymbol>> calls = new HashMap<>();
    Set<MethodSymbol> users = new HashSet<>();
    for (Tree member : type.getMembers()) {
      if (!(member instanceof MethodTree method) || method.getBody() == null) {
        continue;
      }
      MethodSymbol symbol = ASTHelpers.getSymbol(method);
      Set<MethodSymbol> called = new HashSet<>();
      boolean[] uses = {false};
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitIdentifier(IdentifierTree identifier, Void unused) {
          uses[0] |= fields.contains(ASTHelpers.getSymbol(identifier));
          return null;
        }

        @Override
        public Void visitMemberSelect(MemberSelectTree select, Void unused) {
          uses[0] |= fields.contains(ASTHelpers.getSymbol(select));
          return super.visitMemberSelect(select, unused);
        }

        @Override
        public Void visitMethodInvocation(MethodInvocationTree invocation, Void unused) {
          MethodSymbol target = ASTHelpers.getSymbol(invocation);
          if (target != null && target.owner == symbol.owner) {
            called.add(target);
          }
          return super.visitMethodInvocation(invocation, unused);
        }
      }.scan(method.getBody(), null);
      calls.put(symbol, called);
      if (uses[0]) {
        users.add(symbol);
      }
    }
    for (boolean grew = true; grew; ) {
      grew = false;
      for (Map.Entry<MethodSymbol, Set<MethodSymbol>> entry : calls.entrySet()) {
        if (!users.contains(entry.getKey()) && !Collections.disjoint(entry.getValue(), users)) {
          grew |= users.add(entry.getKey());
        }
      }
    }
    return users;
  }

  private static boolean declaredOutside(VarSymbol local, Tree code, VisitorState state) {
    return !UnitFacts.contains(code, local.pos, state);
  }

  // ---------------------------------------------------------------------------------------------
  // Which check reports what (SPEC §2.0.1)

  /** Whether memory of this backing may not be used by another thread at all. */
  public static boolean isConfined(Backing backing) {
    return backing.arenaKind().isConfined();
  }

  /** The memory of confined arenas in a handed value: {@code ArenaThreadConfinement}, awaited or not. */
  public static ArenaValue fromConfinedArenas(ArenaValue handed) {
    return handed.filter(Threads::isConfined);
  }

  /**
   * The memory in a handed value that may outlive its arena: of a bounded arena that is not
   * confined (confined memory is {@link #fromConfinedArenas}'s), whose scope ends in this method
   * or belongs to the caller (a parameter arena, a borrowed segment), when the task is not
   * awaited before that scope ends. This is {@code ArenaEscape}'s finding.
   */
  public static ArenaValue outlivingTheArena(
      Handoff handoff, ArenaValue handed, TreePath callPath, ArenaAnalysis analysis, VisitorState state) {
    if (handoff.kind().awaitedByConstruction()) {
      return ArenaValue.NONE;
    }
    return handed.filter(
        b -> !isConfined(b)
            && (b.scope().endsInMethod() || b.scope() == ScopeKind.PARAMETER || b.scope() == ScopeKind.BORROWED)
            && !isAwaitedBefore(handoff, callPath, scopeEndPosition(b, callPath, state), analysis, state));
  }

  /**
   * Where the scope of {@code backing} ends, as a source position: the end of the
   * try-with-resources block, the closing call, or else the end of the code containing {@code
   * site} (a parameter arena or borrowed segment is the caller's after the call).
   */
  public static int scopeEndPosition(Backing backing, TreePath site, VisitorState state) {
    Tree end = backing.end();
    if (end instanceof TryTree statement) {
      return ((JCTree.JCBlock) statement.getBlock()).endpos;
    }
    if (end != null) {
      return ((JCTree) end).getStartPosition();
    }
    return endOfEnclosingCode(site, state);
  }

  // ---------------------------------------------------------------------------------------------
  // Awaiting

  /**
   * Whether the handoff at {@code handoffPath} (a method call or constructor call) is awaited
   * before {@code scopeEnd}, a source position.
   */
  public static boolean isAwaitedBefore(
      TreePath handoffPath, int scopeEnd, ArenaAnalysis analysis, VisitorState state) {
    return isAwaitedBefore(null, handoffPath, scopeEnd, analysis, state);
  }

  /** {@link #isAwaitedBefore}, also through {@code handoff}'s task ({@code task.fork(); task.join()}). */
  private static boolean isAwaitedBefore(
      @Nullable Handoff handoff, TreePath handoffPath, int scopeEnd, ArenaAnalysis analysis, VisitorState state) {
    // A handoff awaited by construction never gets here: outlivingTheArena answers for it first.
    Tree call = handoffPath.getLeaf();
    int start = ((JCTree) call).getStartPosition();
    if (call instanceof MethodInvocationTree invocation) {
      if (analysis.model(ASTHelpers.getSymbol(invocation)).awaits()) {
        return true;
      }
      if (invocation.getMethodSelect() instanceof MemberSelectTree select) {
        Symbol executor = ASTHelpers.getSymbol(ASTHelpers.stripParentheses(select.getExpression()));
        TryTree resource = executor == null ? null : analysis.facts().resourceStatement(executor);
        if (resource != null
            && closeAwaits(executor.type, analysis, state)
            && ((JCTree.JCBlock) resource.getBlock()).endpos <= scopeEnd) {
          return true;
        }
      }
    }
    if (isAwaitedAtOnce(handoffPath, analysis)) {
      return true;
    }
    List<Symbol> handles = new ArrayList<>();
    Symbol result = resultVariable(handoffPath);
    if (result != null) {
      handles.add(result);
    }
    if (handoff != null && handoff.kind() == HandoffKind.RECEIVER) {
      // task.fork(); ... task.join();
      Symbol task = ASTHelpers.getSymbol(ASTHelpers.stripParentheses(handoff.handed()));
      if (task != null && UnitFacts.isLocal(task)) {
        handles.add(task);
      }
    }
    for (Symbol handle : handles) {
      for (MethodInvocationTree await : analysis.facts().awaitsOf(handle)) {
        int at = ((JCTree) await).getStartPosition();
        if (at > start && at <= scopeEnd) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code executor.submit(task).get()}, {@code supplyAsync(task).join()}: the result is awaited at once. */
  private static boolean isAwaitedAtOnce(TreePath handoffPath, ArenaAnalysis analysis) {
    TreePath parent = handoffPath.getParentPath();
    while (parent != null && parent.getLeaf() instanceof ParenthesizedTree) {
      parent = parent.getParentPath();
    }
    TreePath grandparent = parent == null ? null : parent.getParentPath();
    return parent != null
        && parent.getLeaf() instanceof MemberSelectTree
        && grandparent != null
        && grandparent.getLeaf() instanceof MethodInvocationTree await
        && analysis.model(ASTHelpers.getSymbol(await)).awaits();
  }

  /** The end of the method or lambda body that contains {@code path}. */
  public static int endOfEnclosingCode(TreePath path, VisitorState state) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof MethodTree || p.getLeaf() instanceof LambdaExpressionTree) {
        return state.getEndPosition(p.getLeaf());
      }
    }
    return Integer.MAX_VALUE;
  }

  private static boolean closeAwaits(Type type, ArenaAnalysis analysis, VisitorState state) {
    if (type == null || type.tsym == null) {
      return false;
    }
    for (Symbol member : type.tsym.members().getSymbolsByName(state.getName("close"))) {
      if (member instanceof MethodSymbol close && close.getParameters().isEmpty()) {
        return analysis.model(close).awaits();
      }
    }
    for (Type supertype : state.getTypes().closure(type)) {
      for (Symbol member : supertype.tsym.members().getSymbolsByName(state.getName("close"))) {
        if (member instanceof MethodSymbol close
            && close.getParameters().isEmpty()
            && analysis.model(close).awaits()) {
          return true;
        }
      }
    }
    return false;
  }

  /** The local the handoff's result (a future, a thread) is stored in, possibly via {@code .start()}. */
  private static @Nullable Symbol resultVariable(TreePath path) {
    TreePath p = path.getParentPath();
    // new Thread(r).start() keeps no handle; Thread t = new Thread(r) does.
    while (p != null && p.getLeaf() instanceof ParenthesizedTree) {
      p = p.getParentPath();
    }
    if (p == null) {
      return null;
    }
    if (p.getLeaf() instanceof VariableTree variable) {
      return ASTHelpers.getSymbol(variable);
    }
    if (p.getLeaf() instanceof AssignmentTree assignment) {
      ExpressionTree target = assignment.getVariable();
      Symbol symbol = ASTHelpers.getSymbol(target);
      return symbol != null && UnitFacts.isLocal(symbol) ? symbol : null;
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Parallel streams

  private static final String BASE_STREAM = "java.util.stream.BaseStream";

  private static boolean isStream(@Nullable Type type, VisitorState state) {
    return type != null && ArenaTypes.isSubtype(type, BASE_STREAM, state);
  }

  /** {@code stream.parallel()} or {@code collection.parallelStream()}. */
  private static boolean makesParallel(MethodSymbol method, VisitorState state) {
    if (!method.getParameters().isEmpty()) {
      return false;
    }
    if (method.getSimpleName().contentEquals("parallel")) {
      return isStream(method.owner.type, state);
    }
    return method.getSimpleName().contentEquals("parallelStream")
        && ArenaTypes.isSubtype(method.owner.type, "java.util.Collection", state);
  }

  /**
   * Whether the stream {@code expression} is parallel: made so by {@code parallel()} or {@code
   * parallelStream()} earlier in its pipeline (and not made {@code sequential()} again), following
   * a local initialised with such a pipeline.
   */
  private static boolean isParallelStream(ExpressionTree expression, ArenaAnalysis analysis, VisitorState state, int depth) {
    ExpressionTree stream = ASTHelpers.stripParentheses(expression);
    if (depth > 32) {
      return false;
    }
    if (stream instanceof MethodInvocationTree call) {
      MethodSymbol method = ASTHelpers.getSymbol(call);
      if (method == null) {
        return false;
      }
      if (makesParallel(method, state)) {
        return true;
      }
      if (method.getSimpleName().contentEquals("sequential") || method.isStatic()) {
        return false;
      }
      return call.getMethodSelect() instanceof MemberSelectTree select
          && isStream(ASTHelpers.getType(select.getExpression()), state)
          && isParallelStream(select.getExpression(), analysis, state, depth + 1);
    }
    Symbol symbol = ASTHelpers.getSymbol(stream);
    return symbol != null
        && UnitFacts.isLocal(symbol)
        && analysis.declaration(symbol) instanceof VariableTree declaration
        && declaration.getInitializer() != null
        && isParallelStream(declaration.getInitializer(), analysis, state, depth + 1);
  }
}
