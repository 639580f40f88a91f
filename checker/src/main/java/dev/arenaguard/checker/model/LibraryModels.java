package dev.arenaguard.checker.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import com.sun.tools.javac.model.JavacElements;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Library models: what stub files say about methods the checker cannot see the code of, keyed by
 * class and signature. Built-in stubs for {@code java.lang.foreign}, {@code java.nio},
 * {@code java.util}, {@code java.util.concurrent}, {@code java.lang.Thread} and arena-guard's
 * runtime ship as resources; users add theirs with {@code -XepOpt:ArenaGuard:StubFiles}.
 *
 * <p>A call is looked up by the statically resolved method and every method it overrides, so a
 * model of {@code SegmentAllocator.allocate(long)} covers every arena type.
 */
public final class LibraryModels {

  /** The stub resources shipped with the checker, in {@code dev/arenaguard/checker/stubs/}. */
  public static final ImmutableList<String> BUILT_IN_STUBS =
      ImmutableList.of(
          "java.lang.foreign.stub.java",
          "java.lang.stub.java",
          "java.nio.stub.java",
          "java.nio.channels.stub.java",
          "java.util.stub.java",
          "java.util.stream.stub.java",
          "java.util.concurrent.stub.java",
          "java.util.concurrent.atomic.stub.java",
          "dev.arenaguard.runtime.stub.java");

  private static volatile LibraryModels builtIns;

  private final ImmutableList<StubMethod> methods;
  /** className → signature → model. */
  private final ImmutableMap<String, ImmutableMap<String, MethodModel>> byClass;

  private LibraryModels(List<StubMethod> methods) {
    this.methods = ImmutableList.copyOf(methods);
    Map<String, Map<String, MethodModel>> index = new LinkedHashMap<>();
    for (StubMethod method : methods) {
      index
          .computeIfAbsent(method.className(), c -> new LinkedHashMap<>())
          .merge(method.signature(), method.model(), MethodModel::merge);
    }
    ImmutableMap.Builder<String, ImmutableMap<String, MethodModel>> builder = ImmutableMap.builder();
    index.forEach((k, v) -> builder.put(k, ImmutableMap.copyOf(v)));
    this.byClass = builder.buildOrThrow();
  }

  /** The models of the built-in stubs (parsed once per JVM). */
  public static LibraryModels builtIns() {
    LibraryModels models = builtIns;
    if (models == null) {
      List<StubMethod> methods = new ArrayList<>();
      for (String resource : BUILT_IN_STUBS) {
        methods.addAll(StubParser.parse("built-in stub " + resource, readResource(resource)));
      }
      models = builtIns = new LibraryModels(methods);
    }
    return models;
  }

  /** No models at all (used only when the built-in ones cannot be read). */
  public static LibraryModels empty() {
    return new LibraryModels(List.of());
  }

  /** These models plus the methods of more stub files. */
  public LibraryModels plus(List<StubMethod> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<StubMethod> all = new ArrayList<>(methods);
    all.addAll(more);
    return new LibraryModels(all);
  }

  /** Whether some stub models methods of the class {@code className} (a canonical name). */
  public boolean describes(String className) {
    return byClass.containsKey(className);
  }

  /** Every stub method, for validation. */
  public ImmutableList<StubMethod> methods() {
    return methods;
  }

  /**
   * The model of a call to {@code method}: the merge of the models of the method and of every
   * method it overrides. {@link MethodModel#NONE} when no stub mentions any of them.
   */
  public MethodModel modelOf(MethodSymbol method, VisitorState state) {
    MethodModel model = direct(method, state.getTypes());
    if (!method.isConstructor() && !method.isStatic()) {
      for (MethodSymbol overridden : ASTHelpers.findSuperMethods(method, state.getTypes())) {
        MethodModel inherited = direct(overridden, state.getTypes());
        if (inherited != MethodModel.NONE) {
          model = model == MethodModel.NONE ? inherited : model.merge(inherited);
        }
      }
    }
    return model;
  }

  private MethodModel direct(MethodSymbol method, Types types) {
    ImmutableMap<String, MethodModel> forClass =
        byClass.get(((ClassSymbol) method.owner).getQualifiedName().toString());
    if (forClass == null) {
      return MethodModel.NONE;
    }
    MethodModel model = forClass.get(signature(method, types));
    return model == null ? MethodModel.NONE : model;
  }

  /** The stub signature of a javac method: {@code name(ErasedSimpleName,...)}. */
  public static String signature(MethodSymbol method, Types types) {
    StringBuilder sb = new StringBuilder(method.getSimpleName().toString()).append('(');
    List<Symbol.VarSymbol> parameters = method.getParameters();
    for (int i = 0; i < parameters.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(erasedSimpleName(parameters.get(i).type, types));
    }
    return sb.append(')').toString();
  }

  private static String erasedSimpleName(Type type, Types types) {
    Type erased = types.erasure(type);
    if (erased instanceof Type.ArrayType array) {
      return erasedSimpleName(array.elemtype, types) + "[]";
    }
    if (erased.isPrimitive()) {
      return erased.toString();
    }
    return erased.tsym.getSimpleName().toString();
  }

  /**
   * Stub methods that name a method their class does not declare. Classes absent from this
   * compilation's class path are skipped: a stub set may model libraries a module does not use.
   */
  public List<String> unknownMethods(VisitorState state) {
    List<String> problems = new ArrayList<>();
    Map<String, Optional<ClassSymbol>> classes = new HashMap<>();
    for (StubMethod method : methods) {
      Optional<ClassSymbol> owner =
          classes.computeIfAbsent(
              method.className(),
              // Elements.getTypeElement loads the class even when no source mentions it.
              name ->
                  Optional.ofNullable(JavacElements.instance(state.context).getTypeElement(name))
                      .map(s -> (ClassSymbol) s));
      if (owner.isEmpty()) {
        continue;
      }
      boolean found = false;
      for (Symbol member : owner.get().members().getSymbolsByName(state.getName(method.name()))) {
        if (member instanceof MethodSymbol candidate
            && signature(candidate, state.getTypes()).equals(method.signature())) {
          found = true;
          break;
        }
      }
      if (!found) {
        problems.add(
            method.location()
                + ": "
                + method.className()
                + " declares no method "
                + method.signature()
                + " (a stub must name an existing method by its erased parameter types)");
      }
    }
    return problems;
  }

  private static String readResource(String name) {
    try (InputStream in = LibraryModels.class.getResourceAsStream("/dev/arenaguard/checker/stubs/" + name)) {
      if (in == null) {
        throw new IllegalStateException("arena-guard is missing its built-in stub " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read built-in stub " + name, e);
    }
  }
}
