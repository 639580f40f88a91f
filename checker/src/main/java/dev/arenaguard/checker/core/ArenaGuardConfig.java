package dev.arenaguard.checker.core;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.ErrorProneFlags;
import dev.arenaguard.checker.baseline.BaselineOption;
import dev.arenaguard.checker.model.LibraryModels;
import dev.arenaguard.checker.model.StubException;
import dev.arenaguard.checker.model.StubMethod;
import dev.arenaguard.checker.model.StubParser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;
import org.jspecify.annotations.Nullable;

/**
 * Every {@code -XepOpt:ArenaGuard:...} option, read and checked in one place.
 *
 * <p>Options are lists separated by commas. A mistake in an option (an unknown name, a malformed
 * class name, a stub file that is missing or malformed) does not throw: it is kept in {@link
 * #errors()} and reported as one located compile error by the first check that runs (throwing
 * from a check's constructor makes Error Prone crash javac with a stack trace instead).
 */
public final class ArenaGuardConfig {

  /** The prefix of every option: {@code -XepOpt:ArenaGuard:Name=value}. */
  public static final String PREFIX = "ArenaGuard:";

  /** Fully qualified names of further arena types (and their subtypes). */
  public static final String EXTRA_ARENA_TYPES = "ExtraArenaTypes";

  /** Fully qualified names of annotations that make a class a long-lived owner (SPEC §1). */
  public static final String LONG_LIVED_OWNER_ANNOTATIONS = "LongLivedOwnerAnnotations";

  /** Paths of stub files with library models (SPEC §4.4). */
  public static final String STUB_FILES = "StubFiles";

  /** Fully qualified names of annotations by which a type states it is used by one thread. */
  public static final String CONFINEMENT_ANNOTATIONS = "ConfinementAnnotations";

  /** The baseline file (SPEC §4.5), see {@link BaselineOption}. */
  public static final String BASELINE = "Baseline";

  /** Whether to write the findings to the baseline file instead of matching them. */
  public static final String WRITE_BASELINE = "WriteBaseline";

  /** The valid option names. */
  public static final ImmutableSet<String> OPTIONS =
      ImmutableSet.of(
          EXTRA_ARENA_TYPES,
          LONG_LIVED_OWNER_ANNOTATIONS,
          STUB_FILES,
          CONFINEMENT_ANNOTATIONS,
          BASELINE,
          WRITE_BASELINE);

  /** Annotations that make a class a long-lived owner without configuration. */
  public static final ImmutableSet<String> DEFAULT_LONG_LIVED_OWNER_ANNOTATIONS =
      ImmutableSet.of(
          "dev.arenaguard.annotations.OutlivesArena",
          "jakarta.inject.Singleton",
          "javax.inject.Singleton",
          "com.google.inject.Singleton",
          "org.springframework.stereotype.Component",
          "org.springframework.stereotype.Service",
          "org.springframework.stereotype.Repository",
          "org.springframework.stereotype.Controller",
          "org.springframework.context.annotation.Configuration");

  /** Annotations by which a type states its confinement without configuration (SPEC §2.3). */
  public static final ImmutableSet<String> DEFAULT_CONFINEMENT_ANNOTATIONS =
      ImmutableSet.of("net.jcip.annotations.NotThreadSafe");

  /**
   * The configuration last parsed for each set of flags, with the stamps of the stub files it
   * read: one entry per set of flags, replaced when a stub file changes.
   */
  private static final Map<ImmutableMap<String, String>, Parsed> CACHE = new ConcurrentHashMap<>();

  private record Parsed(ImmutableList<StubStamp> stubs, ArenaGuardConfig config) {}

  /**
   * What identifies a version of a stub file cheaply: its modification time and size (-1 when it
   * cannot be read). An edit changes one of them, except an edit that keeps the size within the
   * file system's clock resolution; a content hash would mean reading every file every time.
   */
  private record StubStamp(String file, long modifiedNanos, long size) {
    static StubStamp of(String file) {
      try {
        BasicFileAttributes attributes = Files.readAttributes(Path.of(file), BasicFileAttributes.class);
        return new StubStamp(file, attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS), attributes.size());
      } catch (IOException | InvalidPathException e) {
        return new StubStamp(file, -1, -1);
      }
    }
  }

  private final ImmutableSet<String> extraArenaTypes;
  private final ImmutableSet<String> longLivedOwnerAnnotations;
  private final ImmutableSet<String> confinementAnnotations;
  private final LibraryModels userModels;
  /**
   * Built-in plus user models, made when first asked for: parsing the built-in stubs costs about
   * half a second of a compiler's start-up, which a compilation without arena memory never needs.
   */
  private final Supplier<LibraryModels> makeModels;

  private volatile @Nullable LibraryModels models;

  private final BaselineOption baseline;

  private final ImmutableList<String> errors;

  private ArenaGuardConfig(
      ImmutableSet<String> extraArenaTypes,
      ImmutableSet<String> longLivedOwnerAnnotations,
      ImmutableSet<String> confinementAnnotations,
      LibraryModels userModels,
      Supplier<LibraryModels> makeModels,
      BaselineOption baseline,
      ImmutableList<String> errors) {
    this.extraArenaTypes = extraArenaTypes;
    this.longLivedOwnerAnnotations = longLivedOwnerAnnotations;
    this.confinementAnnotations = confinementAnnotations;
    this.userModels = userModels;
    this.makeModels = makeModels;
    this.baseline = baseline;
    this.errors = errors;
  }

  /**
   * The configuration the flags describe. Shared by all checks of one compilation, and cached
   * across compilations with the same flags, so stub files are parsed once per version: a
   * long-lived compiler (an IDE, a build daemon, Maven compiling several modules in one JVM)
   * reads a stub file again once its modification time or size changes.
   */
  public static ArenaGuardConfig from(ErrorProneFlags flags) {
    ImmutableMap<String, String> ours =
        flags.getFlagsMap().entrySet().stream()
            .filter(e -> e.getKey().startsWith(PREFIX))
            .collect(ImmutableMap.toImmutableMap(Map.Entry::getKey, Map.Entry::getValue));
    // The baseline file too: it is read with the options, and a build may write it between compilations.
    ImmutableList<StubStamp> stubs =
        Stream.concat(list(ours, STUB_FILES).stream(), list(ours, BASELINE).stream())
            .map(StubStamp::of)
            .collect(ImmutableList.toImmutableList());
    return CACHE.compute(
            ours,
            (key, cached) -> cached != null && cached.stubs().equals(stubs) ? cached : new Parsed(stubs, parseSafely(key)))
        .config();
  }

  /**
   * {@link #parse}, with a last line of defence: whatever a mistake in the flags or a stub file
   * makes a library throw becomes a configuration error, never an exception out of a check's
   * constructor (which Error Prone turns into a javac crash).
   */
  private static ArenaGuardConfig parseSafely(ImmutableMap<String, String> flags) {
    try {
      return parse(flags);
    } catch (RuntimeException | StackOverflowError e) {
      return new ArenaGuardConfig(
          ImmutableSet.of(),
          DEFAULT_LONG_LIVED_OWNER_ANNOTATIONS,
          DEFAULT_CONFINEMENT_ANNOTATIONS,
          LibraryModels.empty(),
          LibraryModels::empty,
          BaselineOption.NONE,
          ImmutableList.of(
              "arena-guard could not read its options "
                  + flags.keySet().stream().map(k -> "-XepOpt:" + k).toList()
                  + " (internal error: "
                  + e
                  + "); the checks ran without these options and without library models. Please report it at"
                  + " https://github.com/arena-guard/arena-guard/issues"));
    }
  }

  private static ArenaGuardConfig parse(ImmutableMap<String, String> flags) {
    List<String> errors = new ArrayList<>();
    for (String key : flags.keySet()) {
      String name = key.substring(PREFIX.length());
      if (!OPTIONS.contains(name)) {
        errors.add(
            "unknown option -XepOpt:"
                + key
                + "; valid options: "
                + OPTIONS.stream().map(o -> "-XepOpt:" + PREFIX + o).toList());
      }
    }
    ImmutableSet<String> arenaTypes = classNames(flags, EXTRA_ARENA_TYPES, errors);
    ImmutableSet<String> owners =
        ImmutableSet.<String>builder()
            .addAll(DEFAULT_LONG_LIVED_OWNER_ANNOTATIONS)
            .addAll(classNames(flags, LONG_LIVED_OWNER_ANNOTATIONS, errors))
            .build();
    ImmutableSet<String> confinement =
        ImmutableSet.<String>builder()
            .addAll(DEFAULT_CONFINEMENT_ANNOTATIONS)
            .addAll(classNames(flags, CONFINEMENT_ANNOTATIONS, errors))
            .build();
    List<StubMethod> userMethods = new ArrayList<>();
    Set<Path> read = new HashSet<>();
    for (String file : list(flags, STUB_FILES)) {
      Path path;
      try {
        path = Path.of(file);
      } catch (InvalidPathException e) {
        errors.add(
            "-XepOpt:" + PREFIX + STUB_FILES + " names \"" + printable(file) + "\", which cannot be a path: "
                + printable(e.getReason()));
        continue;
      }
      if (!read.add(path.toAbsolutePath().normalize())) {
        continue; // named twice: read once, so that its mistakes are reported once
      }
      if (!Files.isRegularFile(path)) {
        errors.add(
            "-XepOpt:" + PREFIX + STUB_FILES + " names " + printable(file) + ", which is not a readable file"
                // -XepOpt:Name without "=value" reads as true.
                + (file.equals("true") ? " (the option needs a value: =path/one.java,path/two.java)" : ""));
        continue;
      }
      try {
        userMethods.addAll(StubParser.parse(file, Files.readString(path, StandardCharsets.UTF_8)));
      } catch (StubException e) {
        errors.add("malformed stub file " + e.getMessage());
      } catch (CharacterCodingException e) {
        errors.add("cannot read stub file " + file + ": it is not UTF-8 text");
      } catch (IOException e) {
        errors.add("cannot read stub file " + file + ": " + e);
      }
    }
    // The built-in stubs are tested to parse and to name only existing methods; a failure to read
    // them (a damaged jar) surfaces, when first needed, as an internal error of the check.
    ImmutableList<StubMethod> user = ImmutableList.copyOf(userMethods);
    BaselineOption baseline =
        BaselineOption.parse("-XepOpt:" + PREFIX, flags.get(PREFIX + BASELINE), flags.get(PREFIX + WRITE_BASELINE), errors);
    return new ArenaGuardConfig(
        arenaTypes,
        owners,
        confinement,
        LibraryModels.empty().plus(user),
        () -> LibraryModels.builtIns().plus(user),
        baseline,
        ImmutableList.copyOf(errors));
  }

  /** {@code text} with control characters (a NUL, a line break) shown as escapes, for a message. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints()
        .forEach(c -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c)));
    return out.toString();
  }

  private static ImmutableList<String> list(Map<String, String> flags, String option) {
    String value = flags.get(PREFIX + option);
    if (value == null) {
      return ImmutableList.of();
    }
    ImmutableList.Builder<String> out = ImmutableList.builder();
    for (String item : value.split(",", -1)) {
      if (!item.isBlank()) {
        out.add(item.strip());
      }
    }
    return out.build();
  }

  private static ImmutableSet<String> classNames(
      Map<String, String> flags, String option, List<String> errors) {
    ImmutableSet.Builder<String> out = ImmutableSet.builder();
    for (String name : list(flags, option)) {
      if (SourceVersion.isName(name) && name.contains(".")) {
        out.add(name);
      } else {
        errors.add(
            "malformed -XepOpt:"
                + PREFIX
                + option
                + ": \""
                + printable(name)
                + "\" is not a fully qualified class name (expected e.g. com.example.MyArena;"
                + " separate several with commas)");
      }
    }
    return out.build();
  }

  /** Further arena types named by {@link #EXTRA_ARENA_TYPES}. */
  public ImmutableSet<String> extraArenaTypes() {
    return extraArenaTypes;
  }

  /** Annotations that make a class a long-lived owner: defaults plus configured ones. */
  public ImmutableSet<String> longLivedOwnerAnnotations() {
    return longLivedOwnerAnnotations;
  }

  /** Annotations by which a type states its confinement: defaults plus configured ones. */
  public ImmutableSet<String> confinementAnnotations() {
    return confinementAnnotations;
  }

  /** Built-in and user library models. */
  public LibraryModels models() {
    LibraryModels read = models;
    if (read == null) {
      synchronized (this) {
        read = models;
        if (read == null) {
          read = models = makeModels.get();
        }
      }
    }
    return read;
  }

  /** Whether {@link #models()} was ever asked for (a compilation without arena memory never is). */
  public boolean modelsRead() {
    return models != null;
  }

  /** The models of the user's stub files alone (to validate them against the class path). */
  public LibraryModels userModels() {
    return userModels;
  }

  /** The baseline to match findings against, or to write them to. */
  public BaselineOption baseline() {
    return baseline;
  }

  /** Mistakes in the options, each a complete sentence naming the option; empty when none. */
  public ImmutableList<String> errors() {
    return errors;
  }
}
