package dev.arenaguard.checker.model;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Problem;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.NormalAnnotationExpr;
import com.github.javaparser.ast.expr.SingleMemberAnnotationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.type.ArrayType;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.Type;
import com.github.javaparser.ast.type.TypeParameter;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.arenaguard.checker.core.ArenaKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one stub file: Java source whose method and constructor declarations carry model
 * annotations. Bodies, fields and annotations outside the vocabulary are ignored, so every Java
 * file is a valid stub. The vocabulary is documented in {@code docs/library-models.md}.
 */
public final class StubParser {

  /** Annotation simple names the models understand. */
  static final ImmutableSet<String> VOCABULARY =
      ImmutableSet.of(
          "ArenaScoped",
          "OutlivesArena",
          "Derives",
          "CopiesOut",
          "NewArena",
          "Phase",
          "Resets",
          "Awaits",
          "StoresInto",
          "HandsOff",
          "ArenaFactory",
          "NoAccess");

  private static final ImmutableSet<String> METHOD_ONLY =
      ImmutableSet.of("CopiesOut", "NewArena", "Phase", "Resets", "Awaits", "ArenaFactory", "NoAccess");
  private static final ImmutableSet<String> PARAMETER_ONLY = ImmutableSet.of("StoresInto");

  private StubParser() {}

  /**
   * Parses {@code source}, named {@code file} in errors.
   *
   * @throws StubException naming file, line and column when the source is not Java or a model
   *     annotation is misused
   */
  public static ImmutableList<StubMethod> parse(String file, String source) {
    ParserConfiguration configuration =
        new ParserConfiguration()
            .setLanguageLevel(ParserConfiguration.LanguageLevel.BLEEDING_EDGE)
            .setAttributeComments(false);
    ParseResult<CompilationUnit> result;
    try {
      result = new JavaParser(configuration).parse(source);
    } catch (StackOverflowError e) {
      // JavaParser recurses once per level of nesting.
      throw new StubException(file, "nested too deeply for JavaParser to read");
    } catch (RuntimeException e) {
      throw new StubException(file, "JavaParser could not read it (" + e + ")");
    }
    if (!result.isSuccessful() || result.getResult().isEmpty()) {
      Problem problem = result.getProblems().isEmpty() ? null : result.getProblems().getFirst();
      String message = problem == null ? "JavaParser gave no reason" : firstLine(problem.getMessage());
      int[] at =
          Optional.ofNullable(problem)
              .flatMap(Problem::getLocation)
              .flatMap(range -> range.getBegin().getRange())
              .map(range -> new int[] {range.begin.line, range.begin.column})
              .or(() -> lexicalErrorAt(message))
              .orElse(new int[] {1, 1});
      throw new StubException(file, at[0], at[1], "not valid Java: " + message);
    }
    CompilationUnit unit = result.getResult().get();
    String pkg = unit.getPackageDeclaration().map(p -> p.getNameAsString() + ".").orElse("");
    List<StubMethod> methods = new ArrayList<>();
    for (TypeDeclaration<?> type : unit.getTypes()) {
      readType(file, pkg + type.getNameAsString(), type, Set.of(), methods);
    }
    return ImmutableList.copyOf(methods);
  }

  private static void readType(
      String file,
      String className,
      TypeDeclaration<?> type,
      Set<String> outerTypeVariables,
      List<StubMethod> out) {
    Map<String, String> typeVariables = new HashMap<>();
    outerTypeVariables.forEach(v -> typeVariables.put(v, "Object"));
    if (type instanceof com.github.javaparser.ast.nodeTypes.NodeWithTypeParameters<?> generic) {
      putTypeVariables(generic.getTypeParameters(), typeVariables);
    }
    for (var member : type.getMembers()) {
      if (member instanceof TypeDeclaration<?> nested) {
        readType(file, className + "." + nested.getNameAsString(), nested, typeVariables.keySet(), out);
      } else if (member instanceof CallableDeclaration<?> callable) {
        Map<String, String> variables = new HashMap<>(typeVariables);
        putTypeVariables(callable.getTypeParameters(), variables);
        StubMethod method = readCallable(file, className, callable, variables);
        if (method != null) {
          out.add(method);
        }
      }
    }
  }

  private static void putTypeVariables(NodeList<TypeParameter> parameters, Map<String, String> out) {
    for (TypeParameter parameter : parameters) {
      out.put(
          parameter.getNameAsString(),
          parameter.getTypeBound().isEmpty()
              ? "Object"
              : parameter.getTypeBound().getFirst().orElseThrow().getNameAsString());
    }
  }

  private static StubMethod readCallable(
      String file, String className, CallableDeclaration<?> callable, Map<String, String> typeVariables) {
    boolean scoped = false;
    boolean derives = false;
    boolean copiesOut = false;
    Optional<ArenaKind> newArena = Optional.empty();
    boolean phase = false;
    boolean resets = false;
    boolean awaits = false;
    boolean outlives = false;
    Optional<ArenaKind> arenaFactory = Optional.empty();
    boolean handsOffReceiver = false;
    boolean noAccess = false;
    for (AnnotationExpr annotation : callable.getAnnotations()) {
      String name = annotation.getName().getIdentifier();
      if (!VOCABULARY.contains(name)) {
        continue;
      }
      if (PARAMETER_ONLY.contains(name)) {
        throw error(file, annotation, "@" + name + " belongs on a parameter, not on a method");
      }
      switch (name) {
        case "ArenaScoped" -> scoped = true;
        case "Derives" -> derives = true;
        case "CopiesOut" -> copiesOut = true;
        case "NewArena" -> newArena = Optional.of(arenaKind(file, annotation));
        case "Phase" -> phase = true;
        case "Resets" -> resets = true;
        case "Awaits" -> awaits = true;
        case "OutlivesArena" -> outlives = true;
        case "ArenaFactory" -> arenaFactory = Optional.of(arenaKind(file, annotation));
        case "HandsOff" -> handsOffReceiver = true;
        case "NoAccess" -> noAccess = true;
        default -> throw new AssertionError(name);
      }
    }
    if (handsOffReceiver && (callable.isConstructorDeclaration() || callable.isStatic())) {
      throw error(
          file,
          callable,
          "@HandsOff on a method means its receiver runs on another thread; a static method or"
              + " constructor has none (put @HandsOff on the parameter that is handed off)");
    }
    ImmutableSet.Builder<Integer> derivesFrom = ImmutableSet.builder();
    ImmutableSet.Builder<Integer> outlivesParams = ImmutableSet.builder();
    ImmutableSet.Builder<Integer> storesInto = ImmutableSet.builder();
    ImmutableSet.Builder<Integer> handsOff = ImmutableSet.builder();
    ImmutableList.Builder<String> parameterTypes = ImmutableList.builder();
    NodeList<Parameter> parameters = callable.getParameters();
    for (int i = 0; i < parameters.size(); i++) {
      Parameter parameter = parameters.get(i);
      String erased = erasedSimpleName(parameter.getType(), typeVariables);
      parameterTypes.add(parameter.isVarArgs() ? erased + "[]" : erased);
      for (AnnotationExpr annotation : parameter.getAnnotations()) {
        String name = annotation.getName().getIdentifier();
        if (!VOCABULARY.contains(name)) {
          continue;
        }
        if (METHOD_ONLY.contains(name)) {
          throw error(file, annotation, "@" + name + " belongs on a method, not on a parameter");
        }
        switch (name) {
          case "Derives" -> derivesFrom.add(i);
          case "OutlivesArena" -> outlivesParams.add(i);
          case "StoresInto" -> storesInto.add(i);
          case "HandsOff" -> handsOff.add(i);
          case "ArenaScoped" -> {
            // Documents a borrowed parameter; every parameter borrows by default.
          }
          default -> throw new AssertionError(name);
        }
      }
    }
    MethodModel model =
        new MethodModel(
            scoped,
            derives,
            derivesFrom.build(),
            copiesOut,
            newArena,
            phase,
            resets,
            awaits,
            outlives,
            outlivesParams.build(),
            storesInto.build(),
            handsOff.build(),
            arenaFactory,
            handsOffReceiver,
            noAccess);
    if (scoped && copiesOut || derives && copiesOut) {
      throw error(file, callable, "a method cannot both copy out and return arena-backed memory");
    }
    String name = callable.isConstructorDeclaration() ? "<init>" : callable.getNameAsString();
    int line = callable.getName().getBegin().map(p -> p.line).orElse(1);
    int column = callable.getName().getBegin().map(p -> p.column).orElse(1);
    return new StubMethod(className, name, parameterTypes.build(), model, file + ":" + line + ":" + column);
  }

  private static ArenaKind arenaKind(String file, AnnotationExpr annotation) {
    Expression value = null;
    if (annotation instanceof SingleMemberAnnotationExpr single) {
      value = single.getMemberValue();
    } else if (annotation instanceof NormalAnnotationExpr normal) {
      for (var pair : normal.getPairs()) {
        if (!pair.getNameAsString().equals("value")) {
          throw error(
              file,
              pair,
              "@" + annotation.getNameAsString() + " has no element " + pair.getNameAsString()
                  + "; it takes the kind as its value, e.g. @NewArena(\"confined\")");
        }
      }
      value = normal.getPairs().getFirst().map(pair -> pair.getValue()).orElse(null); // "value", checked above
    }
    if (value == null) {
      // Without a kind: the receiver's kind (a child arena, a builder's arena, a pool's lease).
      return ArenaKind.UNKNOWN;
    }
    if (!(value instanceof StringLiteralExpr literal)) {
      throw error(
          file,
          annotation,
          "@" + annotation.getNameAsString() + " takes a string literal naming the kind, e.g. @NewArena(\"confined\")");
    }
    return ArenaKind.fromStubName(literal.getValue())
        .filter(kind -> kind != ArenaKind.UNKNOWN)
        .orElseThrow(
            () ->
                error(
                    file,
                    annotation,
                    "unknown arena kind \""
                        + literal.getValue()
                        + "\"; known kinds: confined, shared, auto, global, runtime-confined,"
                        + " runtime-shared, pooled"));
  }

  /** The erased simple name javac gives the type: {@code List<T>} is {@code List}, {@code T} its bound. */
  static String erasedSimpleName(Type type, Map<String, String> typeVariables) {
    if (type instanceof ArrayType array) {
      return erasedSimpleName(array.getComponentType(), typeVariables) + "[]";
    }
    if (type instanceof ClassOrInterfaceType classType) {
      String simple = classType.getName().getIdentifier();
      if (classType.getScope().isEmpty() && typeVariables.containsKey(simple)) {
        return typeVariables.get(simple);
      }
      return simple;
    }
    return type.asString();
  }

  private static StubException error(String file, Node node, String problem) {
    int line = node.getBegin().map(p -> p.line).orElse(1);
    int column = node.getBegin().map(p -> p.column).orElse(1);
    return new StubException(file, line, column, problem);
  }

  private static final Pattern LEXICAL_ERROR_AT = Pattern.compile("at line (\\d{1,9}), column (\\d{1,9})");

  /** A lexical error (an unclosed comment, a bad escape) has no range, only these words. */
  private static Optional<int[]> lexicalErrorAt(String message) {
    Matcher matcher = LEXICAL_ERROR_AT.matcher(message);
    return matcher.find()
        // JavaParser counts the column of an end of file from 0.
        ? Optional.of(new int[] {Integer.parseInt(matcher.group(1)), Math.max(1, Integer.parseInt(matcher.group(2)))})
        : Optional.empty();
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
