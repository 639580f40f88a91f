package dev.arenaguard.checker;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.ERROR;

import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker.AssignmentTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.NewClassTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.ReturnTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import dev.arenaguard.checker.core.ArenaAnalysis;
import dev.arenaguard.checker.core.ArenaTypes;
import dev.arenaguard.checker.core.ArenaValue;
import dev.arenaguard.checker.core.Call;
import dev.arenaguard.checker.core.Backing;
import dev.arenaguard.checker.core.ScopeKind;
import dev.arenaguard.checker.core.Threads;
import dev.arenaguard.checker.core.UnitFacts;
import dev.arenaguard.checker.model.MethodModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/** SPEC §2.1: an arena-backed value is kept somewhere that outlives its arena's scope. */
@BugPattern(
    summary = "An arena-backed value outlives the scope of its arena",
    severity = ERROR,
    linkType = CUSTOM,
    link = ArenaGuardChecker.DOCS + "ArenaEscape.md")
public final class ArenaEscape extends ArenaGuardChecker
    implements ReturnTreeMatcher, AssignmentTreeMatcher, MethodInvocationTreeMatcher, NewClassTreeMatcher {

  private static final String COPY_OUT_HINT =
      "copy the data out (toArray(..), MemorySegment.copy into longer-lived memory)";

  /** For {@code ServiceLoader}, which requires it; Error Prone itself uses the flags constructor. */
  public ArenaEscape() {
    this(ErrorProneFlags.empty());
  }

  public ArenaEscape(ErrorProneFlags flags) {
    super(flags);
  }

  // ---------------------------------------------------------------------------------------------
  // return

  @Override
  public Description matchReturn(ReturnTree tree, VisitorState state) {
    if (tree.getExpression() == null) {
      return Description.NO_MATCH;
    }
    return guard(tree, state, () -> checkReturn(tree, state));
  }

  private Description checkReturn(ReturnTree tree, VisitorState state) {
    ArenaAnalysis analysis = analysis(state);
    ExpressionTree expression = tree.getExpression();
    ArenaValue value = analysis.valueOf(new TreePath(state.getPath(), expression)).bounded();
    if (!value.isBacked()) {
      return Description.NO_MATCH;
    }
    Tree code = enclosingMethodOrLambda(state.getPath());
    if (code instanceof LambdaExpressionTree lambda) {
      // A lambda is checked against its functional interface: it may return memory of its own
      // parameters; memory of an arena that closes inside the lambda may not leave it.
      Backing closing = first(value, b -> b.scope().endsInMethod() && within(b.end(), lambda, state));
      return closing == null ? Description.NO_MATCH : escape(tree, expression, closing, "is returned from the lambda", null, copyOut(expression, value, false, state), state);
    }
    if (!(code instanceof MethodTree method)) {
      return Description.NO_MATCH;
    }
    MethodSymbol symbol = ASTHelpers.getSymbol(method);
    if (ArenaTypes.enforcedOutlivesArena(symbol)) {
      Backing any = first(value, b -> true);
      return escape(tree, expression, any, "is returned from a method declared @OutlivesArena", symbol, copyOut(expression, value, true, state), state);
    }
    Backing closed = first(value, b -> b.scope().endsInMethod());
    if (closed != null) {
      return escape(tree, expression, closed, "is returned past the end of its arena's scope", null, copyOut(expression, value, false, state), state);
    }
    boolean scoped = ArenaTypes.hasArenaScoped(symbol) || analysis.model(symbol).scopedResult();
    Backing needsAnnotation =
        first(value, b -> b.scope() == ScopeKind.PARAMETER || b.scope() == ScopeKind.OWNER || b.scope() == ScopeKind.RECEIVER);
    if (needsAnnotation != null && !scoped) {
      SuggestedFix.Builder builder = SuggestedFix.builder();
      String annotation = SuggestedFixes.qualifyType(state, builder, ArenaTypes.ARENA_SCOPED);
      SuggestedFix fix = builder.prefixWith(method, "@" + annotation + " ").build();
      return describe(
          tree,
          describe(expression, needsAnnotation, state)
              + " is returned from '"
              + symbol.getSimpleName()
              + "', which is not declared @ArenaScoped; "
              + scopeEnd(needsAnnotation, state)
              + ". Declare the method @ArenaScoped so that callers treat the result as scoped to "
              + (needsAnnotation.scope() == ScopeKind.PARAMETER
                  ? "the arena they passed"
                  : "the receiver's arena (valid while the object keeps it open)"),
          Optional.of(fix));
    }
    return Description.NO_MATCH;
  }

  // ---------------------------------------------------------------------------------------------
  // stores: fields, statics, arrays

  @Override
  public Description matchAssignment(AssignmentTree tree, VisitorState state) {
    return guard(tree, state, () -> checkAssignment(tree, state));
  }

  private Description checkAssignment(AssignmentTree tree, VisitorState state) {
    ExpressionTree target = ASTHelpers.stripParentheses(tree.getVariable());
    ExpressionTree location = target instanceof ArrayAccessTree element ? element.getExpression() : target;
    Symbol symbol = ASTHelpers.getSymbol(location);
    if (symbol == null || (target == location && symbol.getKind() != ElementKind.FIELD)) {
      return Description.NO_MATCH;
    }
    if (target != location && UnitFacts.isLocal(symbol)) {
      return Description.NO_MATCH; // a local array: the dataflow tracks what it holds
    }
    return checkStore(tree, tree.getExpression(), location, symbol, state);
  }

  /**
   * A value put into {@code location} (a field, a static, an array or container held in one, a
   * parameter's container): reports it if the location outlives one of the value's arenas.
   */
  private Description checkStore(
      Tree sink, ExpressionTree stored, ExpressionTree location, Symbol symbol, VisitorState state) {
    ArenaAnalysis analysis = analysis(state);
    ArenaValue all = analysis.valueOf(new TreePath(state.getPath(), stored));
    String name = "'" + symbol.getSimpleName() + "'";
    if (symbol.getKind() == ElementKind.FIELD && ArenaTypes.enforcedOutlivesArena(symbol)) {
      // Values of a field declared @OutlivesArena must outlive every arena: heap or global only.
      Backing b = first(all, x -> x.scope().isBounded() || x.scope() == ScopeKind.AUTO);
      return b == null
          ? Description.NO_MATCH
          : escape(sink, stored, b, "is stored in field " + name + ", which is declared @OutlivesArena", symbol, fixFor(b, stored, all, state), state);
    }
    ArenaValue value = all.bounded();
    if (!value.isBacked()) {
      return Description.NO_MATCH;
    }
    if (symbol.getKind() == ElementKind.FIELD && symbol.isStatic()) {
      Backing b = first(value, x -> true);
      return escape(sink, stored, b, "is stored in static field " + name + ", which outlives every arena", null, fixFor(b, stored, value, state), state);
    }
    if (symbol.getKind() == ElementKind.FIELD) {
      if (ArenaTypes.hasArenaScoped(symbol) || ArenaTypes.hasArenaScoped(symbol.owner)) {
        // The object holding the field (or every instance of its class) is arena-backed itself.
        return Description.NO_MATCH;
      }
      boolean onThis = UnitFacts.isOnThis(location);
      Backing b =
          first(
              value,
              x -> !(onThis
                  && (x.scope() == ScopeKind.OWNER
                      || ownedByConstructor(x, state)
                      || closedOnlyIfConstructionFails(x, state))));
      if (b == null) {
        return Description.NO_MATCH;
      }
      String where =
          onThis
              ? "is stored in field " + name + " of this object, which may outlive the arena"
              : "is stored in field " + name + " of an object that may outlive the arena";
      ClassTree view = onThis && b.scope() == ScopeKind.BORROWED ? constructedViewClass(state) : null;
      if (view != null) {
        return viewEscape(sink, stored, b, where, view, state);
      }
      return escape(sink, stored, b, where, symbol, fixFor(b, stored, value, state), state);
    }
    if (symbol.getKind() == ElementKind.PARAMETER || !UnitFacts.isLocal(symbol)) {
      // A caller's container outlives everything this method closes.
      Backing b = first(value, x -> x.scope().endsInMethod());
      return b == null
          ? Description.NO_MATCH
          : escape(sink, stored, b, "is put into " + name + ", which outlives the arena", null, fixFor(b, stored, value, state), state);
    }
    return Description.NO_MATCH;
  }

  /** A borrowed parameter stored by a record's or owner's constructor: the object holds it as its own. */
  private boolean ownedByConstructor(Backing backing, VisitorState state) {
    if (backing.scope() != ScopeKind.BORROWED) {
      return false;
    }
    MethodTree method = ASTHelpers.findEnclosingNode(state.getPath(), MethodTree.class);
    MethodSymbol symbol = method == null ? null : ASTHelpers.getSymbol(method);
    if (symbol == null || !symbol.isConstructor()) {
      return false;
    }
    if (((ClassSymbol) symbol.owner).isRecord()) {
      return true;
    }
    // An object given an arena with its constructor owns it (SPEC §2.0.6); segments given along
    // with that arena are its own.
    for (VarSymbol parameter : symbol.getParameters()) {
      if (analysis(state).facts().isOwnedParameter(parameter)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The class whose constructor encloses the current node, when the fix for keeping a borrowed
   * parameter may be to make its instances arena-backed ({@code @ArenaScoped} on the class): a
   * class or abstract class, not an enum, interface or record.
   */
  private static @Nullable ClassTree constructedViewClass(VisitorState state) {
    if (!(enclosingMethodOrLambda(state.getPath()) instanceof MethodTree method)
        || !ASTHelpers.getSymbol(method).isConstructor()) {
      return null;
    }
    ClassTree type = ASTHelpers.findEnclosingNode(state.getPath(), ClassTree.class);
    return type != null && type.getKind() == Tree.Kind.CLASS ? type : null;
  }

  /**
   * A constructor keeps a borrowed parameter: usually the object is a view of the caller's memory
   * (a struct wrapper, a sketch over a segment), and the fix is to say so with {@code @ArenaScoped}
   * on the class, so that callers keep the object only while the arena is open; an object that
   * must outlive every arena declares the parameter {@code @OutlivesArena} instead.
   */
  private Description viewEscape(
      Tree sink, ExpressionTree stored, Backing backing, String where, ClassTree view, VisitorState state) {
    String type = "'" + view.getSimpleName() + "'";
    Description.Builder description =
        buildDescription(sink)
            .setMessage(
                describe(stored, backing, state) + " " + where + "; " + scopeEnd(backing, state)
                    + ". If " + type + " is a view of the caller's memory, declare the class @ArenaScoped"
                    + " (callers then keep its instances only while the arena is open); if it must outlive"
                    + " every arena, declare the parameter @OutlivesArena, or keep a copy");
    SuggestedFix.Builder scoped = SuggestedFix.builder();
    String annotation = SuggestedFixes.qualifyType(state, scoped, ArenaTypes.ARENA_SCOPED);
    description.addFix(scoped.prefixWith(view, "@" + annotation + " ").build());
    outlivesParameterFix(backing, state).ifPresent(description::addFix);
    return description.build();
  }

  /**
   * Memory of an arena that the enclosing constructor closes only on paths on which it then
   * throws (cleanup of a half-built object, {@code catch (E e) { arena.close(); throw e; }}): when
   * the arena is closed, the object is never built, so its fields cannot keep the memory.
   */
  private boolean closedOnlyIfConstructionFails(Backing backing, VisitorState state) {
    if (backing.scope() != ScopeKind.CLOSED_IN_METHOD
        || !(backing.arena() instanceof VarSymbol arena)
        || !(enclosingMethodOrLambda(state.getPath()) instanceof MethodTree constructor)
        || !ASTHelpers.getSymbol(constructor).isConstructor()) {
      return false;
    }
    ArenaAnalysis analysis = analysis(state);
    List<MethodInvocationTree> closes = new ArrayList<>();
    if (arena.getKind() == ElementKind.FIELD) {
      for (UnitFacts.FieldClose close : analysis.facts().closesOfField(arena)) {
        if (close.method() == constructor) {
          closes.add(close.call());
        }
      }
    } else if (analysis.facts().localArena(arena) instanceof UnitFacts.LocalArena local) {
      closes.addAll(local.closes());
    }
    return !closes.isEmpty() && closes.stream().allMatch(analysis::onlyThrowsAfter);
  }

  // ---------------------------------------------------------------------------------------------
  // calls: containers, @OutlivesArena parameters, other threads

  @Override
  protected Description matchCall(ExpressionTree call, VisitorState state) {
    Call parsed = Call.of(call);
    if (parsed == null) {
      return Description.NO_MATCH;
    }
    ArenaAnalysis analysis = analysis(state);
    MethodSymbol method = parsed.method();
    List<? extends ExpressionTree> arguments = parsed.arguments();
    MethodModel model = analysis.model(method);
    int arity = method.getParameters().size();
    for (int i = 0; i < arguments.size(); i++) {
      boolean outlives =
          MethodModel.has(model.outlivesArenaParams(), i, arity, method.isVarArgs())
              || ArenaTypes.enforcedOutlivesArena(method.getParameters().get(Math.min(i, arity - 1)));
      boolean stores = MethodModel.has(model.storesIntoReceiverParams(), i, arity, method.isVarArgs());
      if (!outlives && !stores) {
        continue;
      }
      ExpressionTree argument = arguments.get(i);
      Description found = Description.NO_MATCH;
      if (outlives) {
        ArenaValue all = analysis.valueOf(new TreePath(state.getPath(), argument));
        found = checkOutlivesArgument(call, argument, all, method, state);
      } else if (call instanceof MethodInvocationTree invocation) {
        found = checkContainerPut(invocation, argument, state);
      }
      if (found != Description.NO_MATCH) {
        return found;
      }
    }
    return checkHandoffs(call, state);
  }

  private Description checkOutlivesArgument(
      Tree call, ExpressionTree argument, ArenaValue value, MethodSymbol method, VisitorState state) {
    // Only Arena.global() memory and heap objects satisfy @OutlivesArena (SPEC §2.0.4).
    Backing b = first(value, x -> x.scope().isBounded() || x.scope() == ScopeKind.AUTO);
    if (b == null) {
      return Description.NO_MATCH;
    }
    String where =
        "is passed to '" + method.getSimpleName() + "', whose parameter is declared @OutlivesArena (the callee keeps it)";
    Optional<SuggestedFix> fix =
        b.scope() == ScopeKind.BORROWED ? outlivesParameterFix(b, state) : copyOut(argument, value, true, state);
    return escape(call, argument, b, where, null, fix, state);
  }

  private Description checkContainerPut(MethodInvocationTree call, ExpressionTree argument, VisitorState state) {
    if (!(call.getMethodSelect() instanceof MemberSelectTree select)) {
      return Description.NO_MATCH; // an implicit-this container method: the object itself
    }
    ExpressionTree receiver = ASTHelpers.stripParentheses(select.getExpression());
    Symbol container = ASTHelpers.getSymbol(receiver);
    if (container == null) {
      ArenaValue value = analysis(state).valueOf(new TreePath(state.getPath(), argument)).bounded();
      Backing b = first(value, x -> x.scope().endsInMethod());
      return b == null
          ? Description.NO_MATCH
          : escape(call, argument, b, "is put into a container that outlives the arena", null, fixFor(b, argument, value, state), state);
    }
    if (UnitFacts.isLocal(container) && container.getKind() != ElementKind.PARAMETER) {
      return Description.NO_MATCH; // a local container: the dataflow tracks what it holds
    }
    return checkStore(call, argument, receiver, container, state);
  }

  private Description checkHandoffs(Tree call, VisitorState state) {
    // Confined memory on another thread is ArenaThreadConfinement's (SPEC §2.0.1): the core
    // leaves it out of what outlives the arena.
    ArenaAnalysis analysis = analysis(state);
    for (Threads.Handoff handoff : Threads.handoffsAt(state.getPath(), analysis, state)) {
      ArenaValue handed = Threads.handedValue(handoff, state.getPath(), analysis, state);
      Backing b = first(Threads.outlivingTheArena(handoff, handed, state.getPath(), analysis, state), x -> true);
      if (b != null) {
        return escape(
            call,
            handoff.handed(),
            b,
            "is handed to another thread by " + handoff.how() + ", and the task is not awaited before the arena's scope ends"
                + " (await it with Future.get()/join() inside the scope, or close the executor there)",
            null,
            Optional.empty(),
            state);
      }
    }
    return Description.NO_MATCH;
  }

  // ---------------------------------------------------------------------------------------------
  // diagnostics and fixes

  /**
   * Reports {@code escaping} kept at {@code sink}.
   *
   * @param holder the method or field that keeps the value, which may say it keeps it only while
   *     the arena is open ({@code @ArenaScoped}); null where no annotation can say so (a static, a
   *     parameter of another method, another thread)
   */
  private Description escape(
      Tree sink,
      ExpressionTree escaping,
      Backing backing,
      String what,
      @Nullable Symbol holder,
      Optional<SuggestedFix> fix,
      VisitorState state) {
    String advice =
        switch (backing.scope()) {
          case BORROWED -> "Declare the parameter @OutlivesArena if the method keeps it, or keep a copy";
          case PARAMETER, RECEIVER ->
              "Keep the value only while the arena is open" + declareScoped(holder) + ", or " + COPY_OUT_HINT;
          case AUTO -> "Native code that keeps a pointer needs memory from Arena.global()";
          default -> "Keep the value inside the scope, or " + COPY_OUT_HINT;
        };
    return describe(sink, describe(escaping, backing, state) + " " + what + "; " + scopeEnd(backing, state) + ". " + advice, fix);
  }

  /** {@code ": declare the method @ArenaScoped"}, naming the kind of {@code holder}; empty if it cannot be. */
  private static String declareScoped(@Nullable Symbol holder) {
    if (holder == null || (holder.getKind() == ElementKind.FIELD && holder.isStatic())) {
      return ""; // a static outlives every arena
    }
    String element = holder.getKind() == ElementKind.METHOD ? "the method" : "the field";
    return ": declare " + element + " @ArenaScoped"
        + (ArenaTypes.hasOutlivesArena(holder) ? " instead of @OutlivesArena" : "");
  }

  private Description describe(Tree sink, String message, Optional<SuggestedFix> fix) {
    Description.Builder builder = buildDescription(sink).setMessage(message);
    fix.ifPresent(builder::addFix);
    return builder.build();
  }

  private static String describe(ExpressionTree expression, Backing backing, VisitorState state) {
    String source = quoted(expression, state);
    return "'" + (source == null ? "this value" : source) + "' (" + backing.origin() + ")";
  }

  private static String scopeEnd(Backing backing, VisitorState state) {
    String arena = backing.arena() == null ? "the arena" : "'" + backing.arena().getSimpleName() + "'";
    return switch (backing.scope()) {
      case BLOCK -> {
        boolean phase = backing.origin().contains("in a phase");
        yield (phase ? "the phase of " + arena + " ends" : arena + " is closed")
            + " at line " + line(scopeEndPosition(backing, state), state)
            + ", the end of its try-with-resources block";
      }
      case CLOSED_IN_METHOD ->
          arena + (isReset(backing.end()) ? " is reset at line " : " is closed at line ")
              + line(scopeEndPosition(backing, state), state);
      case PARAMETER -> "the caller owns parameter arena " + arena + " and may close it once the call returns";
      case BORROWED -> "parameter " + arena + " is only borrowed for the duration of the call";
      case OWNER -> "this object's arena lives only until the object closes it";
      case RECEIVER -> "that object's arena may be closed while the value is still kept";
      case AUTO -> "an automatic arena frees its memory once no Java reference remains, and native code does not count";
      default -> "its arena may be closed";
    };
  }

  private static boolean isReset(@Nullable Tree end) {
    return end instanceof MethodInvocationTree call
        && !(call.getMethodSelect() instanceof MemberSelectTree select && select.getIdentifier().contentEquals("close"));
  }

  private static int scopeEndPosition(Backing backing, VisitorState state) {
    return Threads.scopeEndPosition(backing, state.getPath(), state);
  }


  private Optional<SuggestedFix> fixFor(Backing backing, ExpressionTree stored, ArenaValue value, VisitorState state) {
    if (backing.scope() == ScopeKind.BORROWED) {
      return outlivesParameterFix(backing, state);
    }
    return copyOut(stored, value, false, state);
  }

  /** Declares the borrowed parameter {@code @OutlivesArena}: the method keeps it on purpose. */
  private Optional<SuggestedFix> outlivesParameterFix(Backing backing, VisitorState state) {
    Tree declaration = backing.arena() == null ? null : analysis(state).declaringMethodOrLambda(backing.arena());
    if (!(declaration instanceof MethodTree method)) {
      return Optional.empty();
    }
    for (VariableTree parameter : method.getParameters()) {
      if (ASTHelpers.getSymbol(parameter) == backing.arena()) {
        SuggestedFix.Builder builder = SuggestedFix.builder();
        String annotation = SuggestedFixes.qualifyType(state, builder, ArenaTypes.OUTLIVES_ARENA);
        return Optional.of(builder.prefixWith(parameter, "@" + annotation + " ").build());
      }
    }
    return Optional.empty();
  }

  /**
   * Copies a {@code MemorySegment} out into memory that outlives the scope: an automatic arena
   * for Java references, the global arena for native retention. Offered only for plain data
   * (allocations and views of them), never for symbols or upcall stubs.
   */
  private Optional<SuggestedFix> copyOut(
      ExpressionTree expression, ArenaValue value, boolean forNative, VisitorState state) {
    if (!analysis(state).types().isSegment(ASTHelpers.getType(expression), state)
        || !value.backings().stream().allMatch(Backing::copyable)) {
      return Optional.empty();
    }
    String source = state.getSourceForNode(expression);
    boolean simple = expression instanceof IdentifierTree || expression instanceof MemberSelectTree;
    if (source == null || !simple) {
      return Optional.empty();
    }
    SuggestedFix.Builder builder = SuggestedFix.builder();
    String arena = SuggestedFixes.qualifyType(state, builder, "java.lang.foreign.Arena");
    String factory = forNative ? ".global()" : ".ofAuto()";
    return Optional.of(
        builder
            .replace(expression, arena + factory + ".allocate(" + source + ".byteSize(), 8).copyFrom(" + source + ")")
            .build());
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private static @Nullable Backing first(ArenaValue value, Predicate<Backing> filter) {
    return value.backings().stream().filter(filter).findFirst().orElse(null);
  }

  private static @Nullable Tree enclosingMethodOrLambda(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof MethodTree || p.getLeaf() instanceof LambdaExpressionTree) {
        return p.getLeaf();
      }
    }
    return null;
  }

}
