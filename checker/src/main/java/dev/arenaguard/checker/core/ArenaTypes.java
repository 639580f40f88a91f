package dev.arenaguard.checker.core;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import java.util.Locale;
import java.util.Optional;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * Type-based facts: which types are arenas, which may hold arena memory, and which annotations
 * elements carry (read from sources and, with class-file retention, from compiled libraries).
 */
public final class ArenaTypes {
  public static final String ARENA = "java.lang.foreign.Arena";
  public static final String SEGMENT_ALLOCATOR = "java.lang.foreign.SegmentAllocator";
  public static final String MEMORY_SEGMENT = "java.lang.foreign.MemorySegment";
  public static final String BUMP_ARENA = "dev.arenaguard.runtime.BumpArena";
  public static final String ARENA_POOL = "dev.arenaguard.runtime.ArenaPool";
  public static final String ARENA_SCOPED = "dev.arenaguard.annotations.ArenaScoped";
  public static final String OUTLIVES_ARENA = "dev.arenaguard.annotations.OutlivesArena";

  private final ArenaGuardConfig config;

  ArenaTypes(ArenaGuardConfig config) {
    this.config = config;
  }

  /** Whether values of {@code type} are arenas: {@code Arena}, the runtime's arenas, configured types. */
  public boolean isArena(@Nullable Type type, VisitorState state) {
    if (type == null || type.isPrimitive()) {
      return false;
    }
    if (isSubtype(type, ARENA, state) || isSubtype(type, BUMP_ARENA, state)) {
      return true;
    }
    for (String extra : config.extraArenaTypes()) {
      if (isSubtype(type, extra, state)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code type} is a {@code ThreadLocal} whose values are arenas. */
  public boolean isThreadLocalOfArenas(@Nullable Type type, VisitorState state) {
    Type threadLocal = state.getTypeFromString("java.lang.ThreadLocal");
    if (type == null || threadLocal == null || !state.getTypes().isSubtype(state.getTypes().erasure(type), state.getTypes().erasure(threadLocal))) {
      return false;
    }
    Type value = state.getTypes().asSuper(type, threadLocal.tsym);
    return value != null && value.getTypeArguments().size() == 1 && isArena(value.getTypeArguments().getFirst(), state);
  }

  /**
   * The {@code ThreadLocal} field of arenas that {@code expression} reads the calling thread's
   * arena from ({@code ARENAS.get()}), or null.
   */
  public @Nullable Symbol threadLocalOfArenas(ExpressionTree expression, VisitorState state) {
    if (ASTHelpers.stripParentheses(expression) instanceof MethodInvocationTree call
        && call.getArguments().isEmpty()
        && call.getMethodSelect() instanceof MemberSelectTree select
        && select.getIdentifier().contentEquals("get")) {
      Symbol holder = ASTHelpers.getSymbol(ASTHelpers.stripParentheses(select.getExpression()));
      if (holder != null && holder.getKind() == ElementKind.FIELD && isThreadLocalOfArenas(holder.type, state)) {
        return holder;
      }
    }
    return null;
  }

  /**
   * Whether a call whose result has type {@code result} hands the arenas it is given to that
   * result, as a constructor hands them to the new object (SPEC §2.0.6): a result that is {@code
   * AutoCloseable} — an owner a factory builds around the arena ({@code
   * WritableMemory.writableMap(file, .., Arena.ofConfined())}), or an arena itself — releases
   * them when it is closed, like a stream of {@code Files.lines}. Not a stream: {@code BaseStream}
   * is {@code AutoCloseable}, but a stream over an arena's memory ({@code rows(arena)}) borrows
   * the arena and is rarely closed.
   */
  public boolean ownsArenasGiven(@Nullable Type result, VisitorState state) {
    return result != null
        && !result.isPrimitiveOrVoid()
        && isSubtype(result, "java.lang.AutoCloseable", state)
        && !isSubtype(result, "java.util.stream.BaseStream", state);
  }

  /** Whether {@code type} is {@code MemorySegment}. */
  public boolean isSegment(@Nullable Type type, VisitorState state) {
    return type != null && isSubtype(type, MEMORY_SEGMENT, state);
  }

  /** Whether {@code type} is a {@code SegmentAllocator} (every arena is one). */
  public boolean isAllocator(@Nullable Type type, VisitorState state) {
    return type != null && isSubtype(type, SEGMENT_ALLOCATOR, state);
  }

  /** Whether the class of {@code type} is declared {@code @ArenaScoped}: all its instances are arena-backed. */
  public boolean isArenaScopedType(@Nullable Type type) {
    return type != null && type.tsym instanceof ClassSymbol c && enforcedArenaScoped(c);
  }

  /**
   * Whether a parameter may carry arena memory the method borrows (SPEC §2.1): a {@code
   * MemorySegment} (or an array of them), an instance of an {@code @ArenaScoped} class, or a
   * parameter declared {@code @ArenaScoped}.
   */
  public boolean isPossiblyArenaBacked(Symbol parameter, VisitorState state) {
    Type type = parameter.type;
    if (type instanceof Type.ArrayType array) {
      type = array.elemtype;
    }
    return isSegment(type, state) || isArenaScopedType(type) || enforcedArenaScoped(parameter);
  }

  /**
   * Whether a value of {@code type} can hold or view arena memory at all. Primitives, strings,
   * boxes and enums cannot: reading them out of a segment copies.
   */
  public boolean mayHoldArenaMemory(@Nullable Type type, VisitorState state) {
    if (type == null || type.isPrimitiveOrVoid()) {
      return false;
    }
    if (type instanceof Type.ArrayType array) {
      return !array.elemtype.isPrimitive();
    }
    Symbol.TypeSymbol symbol = type.tsym;
    if (symbol == null) {
      return true;
    }
    if (symbol.getKind() == ElementKind.ENUM) {
      return false;
    }
    String name = symbol.getQualifiedName().toString();
    if (!type.getTypeArguments().isEmpty() && isJdkContainer(symbol)) {
      // A JDK collection, stream or Optional holds memory only through its elements.
      for (Type argument : type.getTypeArguments()) {
        if (mayHoldArenaMemory(state.getTypes().wildUpperBound(argument), state)) {
          return true;
        }
      }
      return false;
    }
    return switch (name) {
      case "java.lang.String",
          "java.lang.Integer",
          "java.lang.Long",
          "java.lang.Short",
          "java.lang.Byte",
          "java.lang.Character",
          "java.lang.Boolean",
          "java.lang.Float",
          "java.lang.Double",
          "java.lang.Class",
          "java.lang.foreign.MemorySegment.Scope" -> false;
      default -> !isArena(type, state);
    };
  }

  private static boolean isJdkContainer(Symbol.TypeSymbol type) {
    String pkg = type.packge().getQualifiedName().toString();
    return pkg.equals("java.util") || pkg.equals("java.util.stream") || pkg.equals("java.util.concurrent.atomic");
  }

  /** The kind of arena a factory method creates, from its model or, failing that, its name. */
  public static ArenaKind kindOfFactory(MethodSymbol factory, Optional<ArenaKind> modelled) {
    if (modelled.isPresent()) {
      return modelled.get();
    }
    String owner = factory.owner.getQualifiedName().toString();
    boolean runtime = owner.startsWith("dev.arenaguard.runtime.");
    String name = factory.getSimpleName().toString().toLowerCase(Locale.ROOT);
    if (name.contains("confined")) {
      return runtime ? ArenaKind.RUNTIME_CONFINED : ArenaKind.CONFINED;
    }
    if (name.contains("shared")) {
      return runtime ? ArenaKind.RUNTIME_SHARED : ArenaKind.SHARED;
    }
    return ArenaKind.UNKNOWN;
  }

  /**
   * Whether {@code symbol} carries {@code @ArenaScoped}: the question where the annotation allows
   * something (a scoped result returned, memory stored in a scoped field). Where it makes
   * something a finding, ask {@link #enforcedArenaScoped}.
   */
  public static boolean hasArenaScoped(Symbol symbol) {
    return hasAnnotation(symbol, ARENA_SCOPED);
  }

  /**
   * Whether {@code symbol} carries {@code @OutlivesArena}: the question where the annotation allows
   * something (a parameter kept). Where it makes something a finding, ask {@link
   * #enforcedOutlivesArena}.
   */
  public static boolean hasOutlivesArena(Symbol symbol) {
    return hasAnnotation(symbol, OUTLIVES_ARENA);
  }

  /**
   * Whether code is held to {@code symbol}'s {@code @ArenaScoped}: the callers of a scoped method
   * get memory of the arena they passed, instances of a scoped class are arena-backed. Not when
   * the same element also carries {@code @OutlivesArena}: that contradiction is one mistake,
   * reported once, by {@code ArenaAnnotationMisuse} (SPEC §2.0.1, §2.0.9). Until the user keeps
   * the annotation that is true, each of the two still allows what it allows, and neither makes
   * anything a finding of another check.
   */
  public static boolean enforcedArenaScoped(Symbol symbol) {
    return hasArenaScoped(symbol) && !hasOutlivesArena(symbol);
  }

  /**
   * Whether code is held to {@code symbol}'s {@code @OutlivesArena}: a method's returns, a field's
   * values and a parameter's arguments must outlive every arena, and a class is a long-lived
   * owner. Not when the element also carries {@code @ArenaScoped} (see {@link
   * #enforcedArenaScoped}).
   */
  public static boolean enforcedOutlivesArena(Symbol symbol) {
    return hasOutlivesArena(symbol) && !hasArenaScoped(symbol);
  }

  /** Whether {@code symbol} carries the annotation (declaration annotations, any retention). */
  public static boolean hasAnnotation(Symbol symbol, String annotation) {
    for (var compound : symbol.getRawAttributes()) {
      if (compound.type.tsym.getQualifiedName().contentEquals(annotation)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code type}, erased, is a subtype of the class named {@code name} (false if absent). */
  static boolean isSubtype(Type type, String name, VisitorState state) {
    Type target = state.getTypeFromString(name);
    return target != null && ASTHelpers.isSubtype(type, target, state);
  }
}
