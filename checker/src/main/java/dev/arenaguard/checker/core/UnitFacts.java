package dev.arenaguard.checker.core;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.tree.JCTree;
import dev.arenaguard.checker.model.MethodModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * Structural facts about one compilation unit, gathered in one scan: where each arena variable
 * is declared and ends (try-with-resources, {@code close()}/{@code reset()} calls, ownership
 * transfer), which try-with-resources blocks are phases of which arena, and which calls await
 * which tasks. Flow-insensitive on purpose: these facts name regions of code; values flowing
 * through those regions are the dataflow's business ({@link ArenaTransfer}).
 */
public final class UnitFacts {

  /**
   * A local arena variable.
   *
   * @param resourceOf the try-with-resources statement declaring it, if any
   * @param closes its {@code close()} and {@code reset()} calls
   * @param ownedByThis stored into a field of {@code this}, or into a container held in one
   *     ({@code this.arenas.put(key, arena)}): the object now owns it
   * @param kind the kind its initializer creates
   * @param aliasOf the initializer when it is another arena expression ({@code Arena a = this.arena}):
   *     its memory is that arena's
   * @param kindFrom the expression whose kind this arena has when {@code kind} is unknown: the
   *     aliased arena, or the creating call of a child arena ({@code parent.newChild(..)}), a
   *     builder's arena ({@code builder.build()}) or a pool's lease ({@code pool.acquire()})
   * @param declaredIn the method, lambda or initializer declaring it
   */
  public record LocalArena(
      VarSymbol symbol,
      @Nullable TryTree resourceOf,
      List<MethodInvocationTree> closes,
      boolean ownedByThis,
      ArenaKind kind,
      @Nullable ExpressionTree aliasOf,
      @Nullable ExpressionTree kindFrom,
      Tree declaredIn) {}

  /** A {@code close()} or {@code reset()} call on an arena field, and the method containing it. */
  public record FieldClose(MethodInvocationTree call, @Nullable MethodTree method) {}

  private final Map<Symbol, LocalArena> localArenas = new HashMap<>();
  private final Map<Symbol, List<TryTree>> phases = new HashMap<>();
  private final Map<Symbol, List<FieldClose>> fieldCloses = new HashMap<>();
  private final Map<Symbol, ArenaKind> fieldKinds = new HashMap<>();
  private final Map<Symbol, ArenaKind> factoryKinds = new HashMap<>();
  private final Map<Symbol, List<ExpressionTree>> fieldWrites = new HashMap<>();
  private final Set<VarSymbol> ownedParameters = new HashSet<>();
  private final Map<Symbol, List<MethodInvocationTree>> awaits = new HashMap<>();
  private final Map<Symbol, TryTree> resources = new HashMap<>();
  private boolean mentionsArenaMemory;

  UnitFacts(CompilationUnitTree unit, ArenaAnalysis analysis, VisitorState state) {
    new Scanner(analysis, state).scan(unit, null);
  }

  /**
   * Whether the unit mentions arena memory at all: a {@code java.lang.foreign} or runtime type or
   * method, a configured arena type, or an {@code @ArenaScoped} declaration. When it does not,
   * no value in it can be arena-backed and the dataflow need not run.
   */
  public boolean mentionsArenaMemory() {
    return mentionsArenaMemory;
  }

  public @Nullable LocalArena localArena(Symbol symbol) {
    return localArenas.get(symbol);
  }

  /** The try-with-resources statements whose resource is a {@code @Phase} of {@code arena}. */
  public List<TryTree> phasesOf(Symbol arena) {
    return phases.getOrDefault(arena, List.of());
  }

  /** {@code close()}/{@code reset()} calls on an arena field, anywhere in this unit. */
  public List<FieldClose> closesOfField(Symbol field) {
    return fieldCloses.getOrDefault(field, List.of());
  }

  /** The kind of arena an arena field of a class in this unit is initialised or assigned with. */
  public ArenaKind kindOfField(Symbol field) {
    return fieldKinds.getOrDefault(field, ArenaKind.UNKNOWN);
  }

  /**
   * The kind of arenas the builder or pool in variable {@code factory} makes, as its initializer
   * and assignments in this unit say ({@code ArenaPool.ofConfined(..)}); unknown if they disagree.
   */
  public ArenaKind factoryKind(Symbol factory) {
    return factoryKinds.getOrDefault(factory, ArenaKind.UNKNOWN);
  }

  /**
   * The values written in this unit to an arena field, or to an instance field of a type a
   * parameter could borrow ({@code MemorySegment}, arena-scoped types): its initializer and the
   * right-hand sides of assignments to it.
   */
  public List<ExpressionTree> writesOf(Symbol field) {
    return fieldWrites.getOrDefault(field, List.of());
  }

  /** Whether a constructor's arena parameter is stored into a field: the object takes ownership. */
  public boolean isOwnedParameter(Symbol parameter) {
    return ownedParameters.contains(parameter);
  }

  /** {@code @Awaits} calls whose receiver is the local {@code task} ({@code f.get()}, {@code t.join()}). */
  public List<MethodInvocationTree> awaitsOf(Symbol task) {
    return awaits.getOrDefault(task, List.of());
  }

  /** The try-with-resources statement declaring the local {@code resource}, if any. */
  public @Nullable TryTree resourceStatement(Symbol resource) {
    return resources.get(resource);
  }

  private final class Scanner extends TreeScanner<Void, Void> {
    private final ArenaAnalysis analysis;
    private final VisitorState state;
    private final Deque<Tree> members = new ArrayDeque<>();
    private final Deque<MethodTree> methods = new ArrayDeque<>();
    private final Map<Symbol, LocalArenaBuilder> builders = new HashMap<>();
    /** Facts to note once the scan is done, in the order met, if the unit has arena memory. */
    private final List<Runnable> needingModels = new ArrayList<>();

    Scanner(ArenaAnalysis analysis, VisitorState state) {
      this.analysis = analysis;
      this.state = state;
    }

    @Override
    public Void scan(Tree tree, Void unused) {
      super.scan(tree, unused);
      if (tree instanceof CompilationUnitTree) {
        if (mentionsArenaMemory) {
          // After the scan, and only where there is arena memory: these facts need the library
          // models, which a compilation without arena memory then never loads.
          needingModels.forEach(Runnable::run);
        }
        builders.forEach((symbol, b) -> localArenas.put(symbol, b.build()));
      }
      return null;
    }

    @Override
    public Void visitIdentifier(IdentifierTree tree, Void unused) {
      noteMention(ASTHelpers.getSymbol(tree));
      return super.visitIdentifier(tree, unused);
    }

    @Override
    public Void visitMemberSelect(MemberSelectTree tree, Void unused) {
      noteMention(ASTHelpers.getSymbol(tree));
      return super.visitMemberSelect(tree, unused);
    }

    private void noteMention(@Nullable Symbol symbol) {
      if (mentionsArenaMemory || symbol == null) {
        return;
      }
      Symbol type = symbol.type == null ? null : symbol.type.tsym;
      if (symbol instanceof MethodSymbol method) {
        type = method.getReturnType().tsym;
      }
      mentionsArenaMemory =
          isArenaName(symbol.owner)
              || isArenaName(type)
              || (symbol instanceof Symbol.ClassSymbol && isArenaName(symbol))
              || ArenaTypes.hasArenaScoped(symbol)
              || (type != null && ArenaTypes.hasArenaScoped(type));
    }

    private boolean isArenaName(@Nullable Symbol symbol) {
      if (symbol == null) {
        return false;
      }
      String name = symbol.getQualifiedName().toString();
      return name.startsWith("java.lang.foreign")
          || name.startsWith("dev.arenaguard.runtime")
          || analysis.config().extraArenaTypes().contains(name);
    }

    @Override
    public Void visitClass(ClassTree tree, Void unused) {
      for (Tree member : tree.getMembers()) {
        if (member instanceof BlockTree || member instanceof VariableTree) {
          members.push(member);
          scan(member, null);
          members.pop();
        } else {
          scan(member, null);
        }
      }
      return null;
    }

    @Override
    public Void visitMethod(MethodTree tree, Void unused) {
      members.push(tree);
      methods.push(tree);
      super.visitMethod(tree, unused);
      methods.pop();
      members.pop();
      return null;
    }

    @Override
    public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
      members.push(tree);
      super.visitLambdaExpression(tree, unused);
      members.pop();
      return null;
    }

    @Override
    public Void visitTry(TryTree tree, Void unused) {
      for (Tree resource : tree.getResources()) {
        if (resource instanceof VariableTree variable) {
          Symbol symbol = ASTHelpers.getSymbol(variable);
          resources.put(symbol, tree);
          if (variable.getInitializer() instanceof MethodInvocationTree call) {
            MethodSymbol method = ASTHelpers.getSymbol(call);
            Symbol arena = receiverSymbol(call);
            if (arena != null) {
              needingModels.add(
                  () -> {
                    if (analysis.model(method).phase()) {
                      phases.computeIfAbsent(arena, a -> new ArrayList<>()).add(tree);
                    }
                  });
            }
          }
        }
      }
      return super.visitTry(tree, unused);
    }

    @Override
    public Void visitVariable(VariableTree tree, Void unused) {
      VarSymbol symbol = ASTHelpers.getSymbol(tree);
      if (symbol != null && tree.getInitializer() != null) {
        noteWrite(symbol, tree.getInitializer());
        ExpressionTree init = tree.getInitializer();
        needingModels.add(() -> noteFactory(symbol, init));
        if (symbol.getKind() == ElementKind.FIELD && analysis.types().isThreadLocalOfArenas(symbol.type, state)) {
          noteFieldKind(symbol, threadLocalInitializer(tree.getInitializer()));
        }
      }
      if (symbol != null && holdsArena(symbol, tree.getInitializer())) {
        if (symbol.getKind() == ElementKind.FIELD) {
          if (tree.getInitializer() != null) {
            noteFieldKind(symbol, tree.getInitializer());
          }
        } else if (symbol.getKind() != ElementKind.PARAMETER && !members.isEmpty()) {
          LocalArenaBuilder builder = builder(symbol);
          builder.declaredIn = members.peek();
          ExpressionTree init = tree.getInitializer();
          if (init != null) {
            builder.noteInitializer(init);
          }
        }
      }
      return super.visitVariable(tree, unused);
    }

    @Override
    public Void visitAssignment(AssignmentTree tree, Void unused) {
      Symbol target = ASTHelpers.getSymbol(tree.getVariable());
      if (target instanceof VarSymbol variable) {
        noteWrite(variable, tree.getExpression());
        ExpressionTree value = tree.getExpression();
        needingModels.add(() -> noteFactory(variable, value));
      }
      if (target != null
          && target.getKind() == ElementKind.FIELD
          && holdsArena(target, tree.getExpression())) {
        noteFieldKind(target, tree.getExpression());
        Symbol value = ASTHelpers.getSymbol(ASTHelpers.stripParentheses(tree.getExpression()));
        if (value != null && !target.isStatic() && isOnThis(tree.getVariable())) {
          LocalArenaBuilder local = builders.get(value);
          if (local != null) {
            local.ownedByThis = true;
          } else if (value.getKind() == ElementKind.PARAMETER
              && value instanceof VarSymbol parameter
              && !methods.isEmpty()
              && ASTHelpers.getSymbol(methods.peek()).isConstructor()) {
            ownedParameters.add(parameter);
          }
        }
      } else if (target != null && builders.containsKey(target)) {
        builders.get(target).noteInitializer(tree.getExpression());
      }
      return super.visitAssignment(tree, unused);
    }

    @Override
    public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
      MethodSymbol method = ASTHelpers.getSymbol(tree);
      Symbol receiver = receiverSymbol(tree);
      if (method != null && receiver != null) {
        MethodTree enclosing = methods.peek();
        needingModels.add(() -> noteCall(tree, method, receiver, enclosing));
      }
      return super.visitMethodInvocation(tree, unused);
    }

    /** Notes a call on {@code receiver}: an arena's end, an await, a store into an own container. */
    private void noteCall(
        MethodInvocationTree tree, MethodSymbol method, Symbol receiver, @Nullable MethodTree enclosing) {
      MethodModel model = analysis.model(method);
      boolean ends =
          (method.getSimpleName().contentEquals("close") && method.getParameters().isEmpty())
              || model.resets();
      if (ends && analysis.types().isArena(receiver.type, state)) {
        LocalArenaBuilder local = builders.get(receiver);
        if (local != null) {
          local.closes.add(tree);
        } else if (receiver.getKind() == ElementKind.FIELD) {
          fieldCloses
              .computeIfAbsent(receiver, r -> new ArrayList<>())
              .add(new FieldClose(tree, enclosing));
        }
      }
      if (model.awaits() && isLocal(receiver)) {
        awaits.computeIfAbsent(receiver, r -> new ArrayList<>()).add(tree);
      }
      noteStoredIntoOwnContainer(tree, method, model, receiver);
    }

    /**
     * A local arena put into a container held in an instance field of {@code this} ({@code
     * this.arenas.put(segment, arena)}) is owned by this object, as one stored in a field is: the
     * memory it allocates is the object's own.
     */
    private void noteStoredIntoOwnContainer(
        MethodInvocationTree tree, MethodSymbol method, MethodModel model, Symbol receiver) {
      if (receiver.getKind() != ElementKind.FIELD
          || receiver.isStatic()
          || !(tree.getMethodSelect() instanceof MemberSelectTree select)
          || !isOnThis(select.getExpression())) {
        return;
      }
      List<? extends ExpressionTree> arguments = tree.getArguments();
      for (int i = 0; i < arguments.size(); i++) {
        if (MethodModel.has(model.storesIntoReceiverParams(), i, method.getParameters().size(), method.isVarArgs())) {
          LocalArenaBuilder local = builders.get(ASTHelpers.getSymbol(ASTHelpers.stripParentheses(arguments.get(i))));
          if (local != null) {
            local.ownedByThis = true;
          }
        }
      }
    }

    /**
     * Whether {@code variable} holds an arena: its type is an arena, or it is a {@code
     * SegmentAllocator} given an arena ({@code SegmentAllocator alloc = Arena.ofAuto()}).
     */
    private boolean holdsArena(Symbol variable, @Nullable ExpressionTree value) {
      return analysis.types().isArena(variable.type, state)
          || (value != null
              && analysis.types().isAllocator(variable.type, state)
              && analysis.types().isArena(ASTHelpers.getType(value), state));
    }

    private void noteWrite(VarSymbol variable, ExpressionTree value) {
      if (variable.getKind() == ElementKind.FIELD
          && (analysis.types().isArena(variable.type, state)
              || (!variable.isStatic() && analysis.types().isPossiblyArenaBacked(variable, state)))) {
        fieldWrites.computeIfAbsent(variable, v -> new ArrayList<>()).add(value);
      }
    }

    /** Notes the kind of arenas a builder or pool variable makes ({@code ArenaPool.ofConfined(..)}). */
    private void noteFactory(VarSymbol variable, ExpressionTree value) {
      if (!(ASTHelpers.stripParentheses(value) instanceof MethodInvocationTree)
          || variable.type == null
          || variable.type.tsym == null
          || !analysis.config().models().describes(variable.type.tsym.getQualifiedName().toString())) {
        return;
      }
      ArenaKind kind = analysis.kindOfFactory(value, false, 0);
      if (kind != ArenaKind.UNKNOWN) {
        factoryKinds.merge(variable, kind, (a, b) -> a == b ? a : ArenaKind.UNKNOWN);
      }
    }

    /**
     * What a {@code ThreadLocal} of arenas creates per thread: the factory in {@code
     * ThreadLocal.withInitial(Arena::ofConfined)} or {@code withInitial(() -> Arena.ofShared())}.
     */
    private @Nullable ExpressionTree threadLocalInitializer(ExpressionTree value) {
      if (!(ASTHelpers.stripParentheses(value) instanceof MethodInvocationTree call)
          || call.getArguments().size() != 1) {
        return null;
      }
      ExpressionTree supplier = ASTHelpers.stripParentheses(call.getArguments().getFirst());
      if (supplier instanceof LambdaExpressionTree lambda) {
        if (lambda.getBody() instanceof ExpressionTree body) {
          return body;
        }
        if (lambda.getBody() instanceof BlockTree block
            && block.getStatements().size() == 1
            && block.getStatements().getFirst() instanceof ReturnTree ret) {
          return ret.getExpression();
        }
      }
      return supplier instanceof MemberReferenceTree ? supplier : null;
    }

    private void noteFieldKind(Symbol field, @Nullable ExpressionTree value) {
      if (value == null) {
        return;
      }
      ArenaKind kind =
          ASTHelpers.stripParentheses(value) instanceof MemberReferenceTree reference
                  && ASTHelpers.getSymbol(reference) instanceof MethodSymbol factory
                  && factory.isStatic()
              ? ArenaTypes.kindOfFactory(factory, analysis.model(factory).newArena())
              : analysis.kindOfCreation(value, false);
      if (kind != ArenaKind.UNKNOWN) {
        fieldKinds.merge(field, kind, (a, b) -> a == b ? a : ArenaKind.UNKNOWN);
      }
    }

    private LocalArenaBuilder builder(VarSymbol symbol) {
      return builders.computeIfAbsent(symbol, s -> new LocalArenaBuilder(symbol));
    }

    private @Nullable TryTree enclosingResource(VarSymbol symbol) {
      return resources.get(symbol);
    }

    private final class LocalArenaBuilder {
      final VarSymbol symbol;
      final List<MethodInvocationTree> closes = new ArrayList<>();
      boolean ownedByThis;
      @Nullable ArenaKind kind;
      @Nullable ExpressionTree aliasOf;
      @Nullable ExpressionTree kindFrom;
      @Nullable Tree declaredIn;

      LocalArenaBuilder(VarSymbol symbol) {
        this.symbol = symbol;
      }

      void noteInitializer(ExpressionTree init) {
        ExpressionTree stripped = ASTHelpers.stripParentheses(init);
        ArenaKind created = analysis.kindOfCreation(stripped, false);
        if ((created == ArenaKind.UNKNOWN || created == ArenaKind.POOLED) && !(stripped instanceof NewClassTree)) {
          Symbol source = ASTHelpers.getSymbol(stripped);
          if (source instanceof VarSymbol) {
            aliasOf = stripped;
            kindFrom = stripped;
          } else if (stripped instanceof MethodInvocationTree call
              && analysis.model(ASTHelpers.getSymbol(call)).newArena().isPresent()) {
            // A child arena (its parent's kind), a builder's arena or a pool's lease (the
            // builder's or pool's kind): resolved once the facts are known.
            kindFrom = call;
          } else if (analysis.types().threadLocalOfArenas(stripped, state) != null) {
            aliasOf = stripped; // the calling thread's arena of a ThreadLocal field
            kindFrom = stripped;
          }
        }
        kind = kind == null || kind == created ? created : ArenaKind.UNKNOWN;
      }

      LocalArena build() {
        return new LocalArena(
            symbol,
            enclosingResource(symbol),
            List.copyOf(closes),
            ownedByThis,
            kind == null ? ArenaKind.UNKNOWN : kind,
            aliasOf,
            kindFrom,
            declaredIn);
      }
    }
  }

  /** The variable a call is made on: {@code a} in {@code a.close()} and {@code this.a.close()}. */
  static @Nullable Symbol receiverSymbol(MethodInvocationTree call) {
    ExpressionTree select = call.getMethodSelect();
    if (select instanceof MemberSelectTree member) {
      ExpressionTree receiver = ASTHelpers.stripParentheses(member.getExpression());
      if (receiver instanceof IdentifierTree || receiver instanceof MemberSelectTree) {
        Symbol symbol = ASTHelpers.getSymbol(receiver);
        return symbol instanceof VarSymbol ? symbol : null;
      }
    }
    return null;
  }

  /** Whether {@code expression} ({@code f} or {@code this.f}) denotes a field of {@code this}. */
  public static boolean isOnThis(ExpressionTree expression) {
    ExpressionTree e = ASTHelpers.stripParentheses(expression);
    if (e instanceof IdentifierTree) {
      return true;
    }
    return e instanceof MemberSelectTree select
        && ASTHelpers.stripParentheses(select.getExpression()) instanceof IdentifierTree id
        && id.getName().contentEquals("this");
  }

  /** Whether {@code position} lies within {@code tree}'s source, its first and last characters included. */
  public static boolean contains(Tree tree, int position, VisitorState state) {
    return position >= start(tree) && position <= state.getEndPosition(tree);
  }

  public static boolean isLocal(Symbol symbol) {
    return switch (symbol.getKind()) {
      case LOCAL_VARIABLE, RESOURCE_VARIABLE, PARAMETER, EXCEPTION_PARAMETER, BINDING_VARIABLE -> true;
      default -> false;
    };
  }

  static int start(Tree tree) {
    return ((JCTree) tree).getStartPosition();
  }
}
