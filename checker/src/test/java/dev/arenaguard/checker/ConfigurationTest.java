package dev.arenaguard.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.CompilationUnitTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.tools.javac.model.JavacElements;
import dev.arenaguard.checker.core.ArenaGuardConfig;
import dev.arenaguard.checker.model.LibraryModels;
import dev.arenaguard.checker.model.StubMethod;
import dev.arenaguard.checker.testdata.NeedsAbsentClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flags, stub files, and what bad input of either produces: one located, readable error. */
class ConfigurationTest {
  @TempDir Path dir;

  private CompilationTestHelper helper(String... flags) {
    return CompilationTestHelper.newInstance(ArenaEscape.class, getClass()).setArgs(flags);
  }

  private Path stub(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  /**
   * A long-lived javac (an IDE, a build daemon, Maven compiling several modules in one JVM) reuses
   * the parsed configuration while the flags and stub files stay the same, and reads a stub file
   * again once it changes: a later modification time, or another size.
   */
  @Test
  void anEditedStubFileIsReadAgain() throws Exception {
    Path file = stub("edited.java", "package lib;\nclass Lib {\n  @Derives Object first();\n}\n");
    FileTime written = FileTime.fromMillis(1_700_000_000_000L);
    Files.setLastModifiedTime(file, written);
    ErrorProneFlags flags = ErrorProneFlags.fromMap(Map.of("ArenaGuard:StubFiles", file.toString()));
    ArenaGuardConfig first = ArenaGuardConfig.from(flags);
    assertEquals(List.of("first"), userMethods(first, file));
    assertSame(first, ArenaGuardConfig.from(flags), "unchanged stubs are parsed once");

    // The same size, written later.
    Files.writeString(file, "package lib;\nclass Lib {\n  @Derives Object other();\n}\n");
    Files.setLastModifiedTime(file, FileTime.fromMillis(written.toMillis() + 1_000));
    ArenaGuardConfig second = ArenaGuardConfig.from(flags);
    assertNotSame(first, second);
    assertEquals(List.of("other"), userMethods(second, file));

    // Another size, with the same modification time (an edit within the clock's resolution).
    Files.writeString(file, "package lib;\nclass Lib {\n  @Derives Object third(long n);\n}\n");
    Files.setLastModifiedTime(file, FileTime.fromMillis(written.toMillis() + 1_000));
    assertEquals(List.of("third"), userMethods(ArenaGuardConfig.from(flags), file));

    // A stub file removed: reported, not served from the cache.
    Files.delete(file);
    assertTrue(
        ArenaGuardConfig.from(flags).errors().stream().anyMatch(e -> e.contains("which is not a readable file")),
        "a removed stub file is an error");
  }

  private static List<String> userMethods(ArenaGuardConfig config, Path file) {
    return config.models().methods().stream()
        .filter(m -> m.location().startsWith(file.toString()))
        .map(StubMethod::name)
        .toList();
  }

  @Test
  void unknownOptionNamesTheValidOnes() {
    helper("-XepOpt:ArenaGuard:ExtraArenaType=com.example.A")
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: unknown option -XepOpt:ArenaGuard:ExtraArenaType; valid options: [-XepOpt:ArenaGuard:ExtraArenaTypes,",
            "class Test {}")
        .doTest();
  }

  @Test
  void malformedOption() {
    helper("-XepOpt:ArenaGuard:LongLivedOwnerAnnotations=com.example.Singleton,not a name")
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: malformed -XepOpt:ArenaGuard:LongLivedOwnerAnnotations: \"not a name\" is not a fully qualified class name",
            "class Test {}")
        .doTest();
  }

  @Test
  void missingStubFile() {
    helper("-XepOpt:ArenaGuard:StubFiles=" + dir.resolve("absent.java"))
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: absent.java, which is not a readable file",
            "class Test {}")
        .doTest();
  }

  @Test
  void anOptionValueThatCannotBeAPathIsAnErrorNotACrash() {
    // A NUL cannot be in a path on any platform: Path.of throws InvalidPathException, which from
    // a check's constructor would crash javac.
    helper("-XepOpt:ArenaGuard:StubFiles=models/a\0b.java")
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: -XepOpt:ArenaGuard:StubFiles names \"models/a\\u0000b.java\", which cannot be a path",
            "class Test {}")
        .doTest();
  }

  @Test
  void anOptionWithoutAValueSaysSo() {
    // -XepOpt:Name without "=value" reads as "true".
    helper("-XepOpt:ArenaGuard:StubFiles")
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: names true, which is not a readable file (the option needs a value: =path/one.java",
            "class Test {}")
        .doTest();
  }

  @Test
  void anEmptyOptionValueIsAnEmptyList() {
    // A build that computes the list may leave it empty (-XepOpt:ArenaGuard:StubFiles=${stubs}).
    ArenaGuardConfig config =
        ArenaGuardConfig.from(
            ErrorProneFlags.fromMap(Map.of("ArenaGuard:StubFiles", "", "ArenaGuard:ExtraArenaTypes", " , ")));
    assertEquals(List.of(), config.errors());
    assertEquals(LibraryModels.builtIns().methods(), config.models().methods());
  }

  @Test
  void aStubFileNamedTwiceIsReadOnce() throws Exception {
    Path file = stub("twice.java", "package lib;\nclass Lib {\n  @Derives Object first();\n}\n");
    String again = dir.resolve(".").resolve("twice.java").toString();
    ArenaGuardConfig config =
        ArenaGuardConfig.from(ErrorProneFlags.fromMap(Map.of("ArenaGuard:StubFiles", file + "," + again + "," + file)));
    assertEquals(List.of(), config.errors());
    assertEquals(List.of("first"), userMethods(config, file), "its methods once, so its mistakes are reported once");
  }

  @Test
  void aStubNestedTooDeeplyForJavaParserIsAnErrorNotACrash() throws Exception {
    // JavaParser recurses once per level and throws StackOverflowError on deep enough nesting.
    Path file =
        stub("deep.java", "class Deep { int x = " + "(".repeat(20_000) + "1" + ")".repeat(20_000) + "; }\n");
    helper("-XepOpt:ArenaGuard:StubFiles=" + file)
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: malformed stub file " + file + ": nested too deeply for JavaParser to read",
            "class Test {}")
        .doTest();
  }

  @Test
  void aLexicalErrorIsLocated() throws Exception {
    // JavaParser gives no range for a lexical error, only "at line 3, column 19".
    Path file = stub("escape.java", "package lib;\nclass Lib {\n  String s = \"\\u00zz\";\n}\n");
    helper("-XepOpt:ArenaGuard:StubFiles=" + file)
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: malformed stub file " + file + ":3:19: not valid Java: Lexical error",
            "class Test {}")
        .doTest();
  }

  @Test
  void aStubFileThatIsNotUtf8IsAnError() throws Exception {
    Path file = dir.resolve("latin1.java");
    Files.write(file, new byte[] {'c', 'l', 'a', 's', 's', ' ', (byte) 0xE9, ' ', '{', '}'});
    helper("-XepOpt:ArenaGuard:StubFiles=" + file)
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: cannot read stub file " + file + ": it is not UTF-8 text",
            "class Test {}")
        .doTest();
  }

  @Test
  void anUnknownAnnotationElementIsLocated() throws Exception {
    Path file = stub("element.java", "package lib;\nclass Lib {\n  @NewArena(kind = \"confined\") static Object make();\n}\n");
    helper("-XepOpt:ArenaGuard:StubFiles=" + file)
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: " + file + ":3:13: @NewArena has no element kind",
            "class Test {}")
        .doTest();
  }

  @Test
  void aStubOfAClassWhoseParameterTypeIsNotOnTheClassPath() throws Exception {
    // NeedsAbsentClass.view(AbsentClass) with AbsentClass missing from the class path, as a
    // library compiled against an optional dependency is: checking the stub must not throw.
    Path file =
        stub(
            "absentparameter.java",
            "package dev.arenaguard.checker.testdata;\nclass NeedsAbsentClass {\n"
                + "  static Object view(@Derives AbsentClass absent);\n"
                + "  static Object plan(@Derives Object o);\n}\n");
    CompilationTestHelper.newInstance(StubProbe.class, getClass())
        .withClasspath(NeedsAbsentClass.class)
        .setArgs("-XepOpt:ArenaGuard:StubFiles=" + file)
        .addSourceLines(
            "Test.java",
            // view(AbsentClass) is found; only the misspelt method, the first unknown, is reported.
            "// BUG: Diagnostic contains: unknown: [" + file + ":4:17: dev.arenaguard.checker.testdata.NeedsAbsentClass declares no method plan(Object)",
            "class Test {}")
        .doTest();
  }

  @Test
  void malformedStubIsLocated() throws Exception {
    Path file = stub("broken.java", "package lib;\nclass Lib {\n  void f(int x;\n}\n");
    helper("-XepOpt:ArenaGuard:StubFiles=" + file)
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: malformed stub file " + file + ":3:",
            "class Test {}")
        .doTest();
  }

  @Test
  void misplacedModelAnnotationIsLocated() throws Exception {
    Path file = stub("misplaced.java", "package lib;\nclass Lib {\n  @StoresInto void f(Object o);\n}\n");
    helper("-XepOpt:ArenaGuard:StubFiles=" + file)
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: " + file + ":3:3: @StoresInto belongs on a parameter",
            "class Test {}")
        .doTest();
  }

  @Test
  void noAccessOnAParameterIsLocated() throws Exception {
    Path file = stub("noaccess.java", "package lib;\nclass Lib {\n  void f(@NoAccess Object o);\n}\n");
    helper("-XepOpt:ArenaGuard:StubFiles=" + file)
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: " + file + ":3:10: @NoAccess belongs on a method, not on a parameter",
            "class Test {}")
        .doTest();
  }

  @Test
  void handsOffOnAStaticMethodIsLocated() throws Exception {
    Path file = stub("static.java", "package lib;\nclass Lib {\n  @HandsOff static void run();\n}\n");
    helper("-XepOpt:ArenaGuard:StubFiles=" + file)
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: " + file + ":3:3: @HandsOff on a method means its receiver runs on another thread",
            "class Test {}")
        .doTest();
  }

  @Test
  void arenaFactoryWithAnUnknownKindIsLocated() throws Exception {
    Path file = stub("factory.java", "package lib;\nclass Lib {\n  @ArenaFactory(\"shard\") static Object pool();\n}\n");
    helper("-XepOpt:ArenaGuard:StubFiles=" + file)
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: " + file + ":3:3: unknown arena kind \"shard\"",
            "class Test {}")
        .doTest();
  }

  @Test
  void unknownArenaKindIsLocated() throws Exception {
    Path file = stub("kind.java", "package lib;\nclass Lib {\n  @NewArena(\"confind\") static Object make();\n}\n");
    helper("-XepOpt:ArenaGuard:StubFiles=" + file)
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: " + file + ":3:3: unknown arena kind \"confind\"",
            "class Test {}")
        .doTest();
  }

  @Test
  void stubNamingAMethodThatDoesNotExistIsAnError() throws Exception {
    Path file =
        stub(
            "unknown.java",
            "package java.lang.foreign;\ninterface MemorySegment {\n  @Derives MemorySegment asSlyce(long offset);\n}\n");
    helper("-XepOpt:ArenaGuard:StubFiles=" + file)
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: " + file + ":3:26: java.lang.foreign.MemorySegment declares no method asSlyce(long)",
            "class Test {}")
        .doTest();
  }

  @Test
  void stubsOfLibrariesNotOnTheClassPathAreSkipped() throws Exception {
    Path file = stub("absentlib.java", "package org.absent;\nclass Lib {\n  @Derives Object view();\n}\n");
    helper("-XepOpt:ArenaGuard:StubFiles=" + file).addSourceLines("Test.java", "class Test {}").doTest();
  }

  @Test
  void extraArenaTypesWithAUserModel() throws Exception {
    Path file =
        stub(
            "pool.java",
            "package com.example;\nimport java.lang.foreign.MemorySegment;\n"
                + "class BufferPool {\n  @ArenaScoped MemorySegment take(long size);\n}\n");
    helper(
            "-XepOpt:ArenaGuard:ExtraArenaTypes=com.example.BufferPool",
            "-XepOpt:ArenaGuard:StubFiles=" + file)
        .addSourceLines(
            "com/example/BufferPool.java",
            "package com.example;",
            "import java.lang.foreign.*;",
            "public class BufferPool implements AutoCloseable {",
            "  public MemorySegment take(long size) { return Arena.global().allocate(size); }",
            "  @Override public void close() {}",
            "}")
        .addSourceLines(
            "Test.java",
            "import java.lang.foreign.MemorySegment;",
            "import com.example.BufferPool;",
            "class Test {",
            "  MemorySegment f() {",
            "    try (BufferPool pool = new BufferPool()) {",
            "      // BUG: Diagnostic contains: memory of arena 'pool'",
            "      return pool.take(8);",
            "    }",
            "  }",
            "}")
        .doTest();
  }

  /**
   * Reports how many built-in stub methods of each package resolve against the classes of the
   * compilation's class path, and which do not exist.
   */
  @BugPattern(summary = "stub validation probe", severity = BugPattern.SeverityLevel.WARNING)
  public static final class StubProbe extends BugChecker implements CompilationUnitTreeMatcher {
    private final LibraryModels models;

    public StubProbe(ErrorProneFlags flags) {
      this.models = ArenaGuardConfig.from(flags).models();
    }

    @Override
    public Description matchCompilationUnit(CompilationUnitTree tree, VisitorState state) {
      long runtime =
          models.methods().stream()
              .filter(m -> m.className().startsWith("dev.arenaguard.runtime."))
              .filter(m -> JavacElements.instance(state.context).getTypeElement(m.className()) != null)
              .count();
      return buildDescription(tree)
          .setMessage("runtime stub methods on the class path: " + runtime + "; unknown: " + models.unknownMethods(state))
          .build();
    }
  }

  @Test
  void builtInStubsNameOnlyExistingMethodsOfTheRealRuntime() {
    // The runtime library is on the test class path: every method of its built-in stub is
    // looked up in its real classes (none skipped as absent), and every built-in stub method of
    // the JDK and the runtime exists.
    long declared =
        LibraryModels.builtIns().methods().stream()
            .filter(m -> m.className().startsWith("dev.arenaguard.runtime."))
            .count();
    assertTrue(declared >= 12, "the runtime stub models the builder and the pool: " + declared);
    assertTrue(LibraryModels.builtIns().methods().size() > 150, "built-in models are loaded");
    CompilationTestHelper.newInstance(StubProbe.class, getClass())
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: runtime stub methods on the class path: " + declared + "; unknown: []",
            "class Test {}")
        .doTest();
  }

  @Test
  void aRuntimeStubMethodThatTheRuntimeLacksIsAnError() throws Exception {
    // The negative control of the test above: the runtime's classes are really consulted.
    Path file = stub("runtime.java", "package dev.arenaguard.runtime;\ninterface BumpArena {\n  @Resets void clear();\n}\n");
    helper("-XepOpt:ArenaGuard:StubFiles=" + file)
        .addSourceLines(
            "Test.java",
            "// BUG: Diagnostic contains: " + file + ":3:16: dev.arenaguard.runtime.BumpArena declares no method clear()",
            "class Test {}")
        .doTest();
  }

  /** A check whose matcher fails, to see what the guard makes of an internal error. */
  @BugPattern(summary = "fails on purpose", severity = BugPattern.SeverityLevel.ERROR)
  public static final class Failing extends ArenaGuardChecker implements MethodTreeMatcher {
    public Failing(ErrorProneFlags flags) {
      super(flags);
    }

    @Override
    public Description matchMethod(MethodTree tree, VisitorState state) {
      return guard(tree, state, () -> {
        throw new IllegalStateException("boom");
      });
    }
  }

  @Test
  void internalErrorsBecomeAWarningNotACrash() {
    String previous = System.clearProperty(ArenaGuardChecker.RETHROW_PROPERTY);
    try {
      CompilationTestHelper.newInstance(Failing.class, getClass())
          .addSourceLines(
              "Test.java",
              "class Test {",
              "  // BUG: Diagnostic contains: arena-guard could not analyse this code, so it was not checked for Failing (internal error: java.lang.IllegalStateException: boom",
              "  void f() {}",
              "}")
          .doTest();
    } finally {
      if (previous != null) {
        System.setProperty(ArenaGuardChecker.RETHROW_PROPERTY, previous);
      }
    }
  }
}
