package dev.arenaguard.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A Maven project as {@link Unit}s to check: the main and the test sources of every module, each
 * with its class path, resolved by the project's own Maven ({@code mvnw}, else {@code mvn}) in one
 * run of its build up to {@code test-compile} with compiling skipped — so that the modules of the
 * reactor resolve to each other without being installed — plus {@code
 * dependency:build-classpath} (test scope: everything the module's code may name) and {@code
 * help:effective-pom} (where each module keeps its sources).
 */
final class MavenProject {
  private MavenProject() {}

  /** The plugins that report the class paths and source directories; fixed versions, from Maven Central. */
  static final String BUILD_CLASSPATH = "org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath";

  static final String EFFECTIVE_POM = "org.apache.maven.plugins:maven-help-plugin:3.5.1:effective-pom";

  /** The system property by which {@code ./arena-guard} names its own Maven, used when the project has none. */
  static final String FALLBACK_MAVEN = "arenaguard.maven";

  private static final Pattern BUILDING = Pattern.compile("^\\[INFO\\] Building (.+?)\\s+\\S+\\s+\\[(\\d+)/(\\d+)\\]\\s*$");

  /** Maven could not resolve the project; the message says why, in a few lines. */
  static final class MavenException extends Exception {
    MavenException(String message) {
      super(message);
    }
  }

  /** Whether {@code dir} is a Maven project. */
  static boolean isProject(Path dir) {
    return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve("pom.xml"));
  }

  /**
   * Resolves the project in {@code dir} into units, in reactor order (a module after the modules
   * it needs), writing progress to {@code progress}.
   *
   * @param work a directory for Maven's reports and the units' classes
   */
  static List<Unit> units(Path dir, Path work, PrintStream progress) throws MavenException {
    List<String> maven = maven(dir);
    long start = System.nanoTime();
    progress.println(
        "arena-guard: " + dir + " is a Maven project: resolving the class paths of its modules with "
            + String.join(" ", maven) + " (its build up to test-compile, compiling nothing) ...");
    Path log = work.resolve("maven.log");
    List<String> command = new ArrayList<>(maven);
    command.addAll(
        List.of(
            "-B",
            "-f",
            dir.resolve("pom.xml").toString(),
            "test-compile",
            "-Dmaven.main.skip=true",
            "-Dmaven.test.skip=true",
            "-Dmaven.resources.skip=true",
            BUILD_CLASSPATH,
            "-Dmdep.includeScope=test",
            "-Dmdep.outputFile=" + work.resolve("${project.groupId}~${project.artifactId}.classpath"),
            EFFECTIVE_POM,
            "-Doutput=" + work.resolve("effective-pom.xml")));
    int status = run(command, dir, log, progress);
    if (status != 0) {
      throw new MavenException(
          "Maven could not resolve " + dir + " (exit status " + status + "):\n" + errors(log)
              + "\nMaven's whole output: " + log + "\nFix the build, or check a source tree with --classpath instead.");
    }
    progress.printf("arena-guard: class paths resolved in %.1f s%n", (System.nanoTime() - start) / 1e9);
    return units(readModules(work.resolve("effective-pom.xml")), work);
  }

  /** The project's own {@code mvnw}, else {@code mvn} on the PATH, else the Maven of {@code ./arena-guard}. */
  private static List<String> maven(Path dir) throws MavenException {
    boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
    Path wrapper = dir.resolve(windows ? "mvnw.cmd" : "mvnw");
    if (Files.isRegularFile(wrapper)) {
      return Files.isExecutable(wrapper) || windows ? List.of(wrapper.toString()) : List.of("sh", wrapper.toString());
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        Path mvn = Path.of(entry).resolve(windows ? "mvn.cmd" : "mvn");
        if (Files.isExecutable(mvn)) {
          return List.of(mvn.toString());
        }
      }
    }
    String fallback = System.getProperty(FALLBACK_MAVEN);
    if (fallback != null && Files.isRegularFile(Path.of(fallback))) {
      return List.of(fallback);
    }
    throw new MavenException(
        dir + " is a Maven project, but it has no mvnw and there is no mvn on the PATH: install Maven, or check a"
            + " source tree with --classpath instead");
  }

  /** Runs Maven, its output into {@code log}; progress is the module Maven is at. */
  private static int run(List<String> command, Path dir, Path log, PrintStream progress) throws MavenException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      boolean downloading = false;
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
          Writer out = Files.newBufferedWriter(log)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          out.write(line);
          out.write('\n');
          Matcher building = BUILDING.matcher(line);
          if (building.matches() && Integer.parseInt(building.group(2)) <= Integer.parseInt(building.group(3))) {
            progress.printf("arena-guard:   %s [%s/%s]%n", building.group(1), building.group(2), building.group(3));
          } else if (!downloading && line.contains("Downloading from")) {
            downloading = true;
            progress.println("arena-guard:   (Maven is downloading what the build needs)");
          }
        }
      }
      return process.waitFor();
    } catch (IOException e) {
      throw new MavenException("cannot run " + command.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MavenException("interrupted while Maven ran");
    }
  }

  /** Maven's error lines, at most 20: what went wrong, without the stack of advice that follows. */
  private static String errors(Path log) {
    try (Stream<String> lines = Files.lines(log)) {
      List<String> errors =
          lines.filter(l -> l.startsWith("[ERROR]") && !l.equals("[ERROR] ") && !l.contains("-> [Help"))
              .takeWhile(l -> !l.startsWith("[ERROR] To see the full stack trace"))
              .limit(20)
              .map(l -> "  " + l)
              .toList();
      return errors.isEmpty() ? "  (no [ERROR] lines)" : String.join("\n", errors);
    } catch (IOException | UncheckedIOException e) {
      return "  (" + log + " cannot be read: " + e.getMessage() + ")";
    }
  }

  /** A module as the effective POM describes it. */
  record Module(
      String id,
      String artifactId,
      Path buildDirectory,
      Path sourceDirectory,
      Path testSourceDirectory,
      Path outputDirectory,
      Path testOutputDirectory) {}

  /** The modules of the effective POM, in its order (the reactor's). */
  static List<Module> readModules(Path effectivePom) throws MavenException {
    org.w3c.dom.Document document;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setExpandEntityReferences(false);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      document = factory.newDocumentBuilder().parse(effectivePom.toFile());
    } catch (Exception e) {
      throw new MavenException("cannot read Maven's effective POM " + effectivePom + ": " + e.getMessage());
    }
    Element root = document.getDocumentElement();
    List<Element> projects = root.getTagName().equals("projects") ? children(root, "project") : List.of(root);
    List<Module> modules = new ArrayList<>();
    for (Element project : projects) {
      Element build = child(project, "build").orElse(null);
      if (build == null || text(project, "packaging").orElse("jar").equals("pom")) {
        continue;
      }
      String groupId = text(project, "groupId").or(() -> child(project, "parent").flatMap(p -> text(p, "groupId"))).orElse("");
      String artifactId = text(project, "artifactId").orElse("?");
      modules.add(
          new Module(
              groupId + "~" + artifactId,
              artifactId,
              Path.of(text(build, "directory").orElseThrow()),
              Path.of(text(build, "sourceDirectory").orElseThrow()),
              Path.of(text(build, "testSourceDirectory").orElseThrow()),
              Path.of(text(build, "outputDirectory").orElseThrow()),
              Path.of(text(build, "testOutputDirectory").orElseThrow())));
    }
    return modules;
  }

  /**
   * The units of the modules: main sources on the module's class path, test sources on it and the
   * main classes. Where a class path names another module's classes, it gets this run's.
   */
  private static List<Unit> units(List<Module> modules, Path work) throws MavenException {
    Map<String, Unit> byOutput = new HashMap<>();
    Map<String, Unit> units = new LinkedHashMap<>();
    boolean unique = modules.stream().map(Module::artifactId).distinct().count() == modules.size();
    for (Module module : modules) {
      String name = unique ? module.artifactId() : module.id().replace('~', ':');
      List<String> classpath = classpath(work.resolve(module.id() + ".classpath"));
      for (boolean test : new boolean[] {false, true}) {
        List<Path> sources =
            javaFiles(
                test ? module.testSourceDirectory() : module.sourceDirectory(),
                module.buildDirectory().resolve(test ? "generated-test-sources" : "generated-sources"));
        Path output = work.resolve("classes").resolve(module.id()).resolve(test ? "test" : "main");
        List<String> path = new ArrayList<>();
        List<Unit> needs = new ArrayList<>();
        if (test) {
          Unit main = units.get(module.id() + "/main");
          path.add(work.resolve("classes").resolve(module.id()).resolve("main").toString());
          if (main != null) {
            needs.add(main);
          }
        }
        for (String entry : classpath) {
          Unit other = byOutput.get(Path.of(entry).toAbsolutePath().normalize().toString());
          path.add(other != null ? other.output().toString() : entry);
          if (other != null && !needs.contains(other)) {
            needs.add(other);
          }
        }
        Unit unit = new Unit(name + (test ? " (test)" : " (main)"), sources, List.copyOf(path), output, List.copyOf(needs));
        byOutput.put((test ? module.testOutputDirectory() : module.outputDirectory()).toAbsolutePath().normalize().toString(), unit);
        if (!sources.isEmpty()) {
          units.put(module.id() + (test ? "/test" : "/main"), unit);
        }
      }
    }
    return List.copyOf(units.values());
  }

  private static List<String> classpath(Path file) throws MavenException {
    try {
      String text = Files.isRegularFile(file) ? Files.readString(file).strip() : "";
      return text.isEmpty() ? List.of() : Arrays.asList(text.split(File.pathSeparator));
    } catch (IOException e) {
      throw new MavenException("cannot read the class path Maven wrote to " + file + ": " + e.getMessage());
    }
  }

  /** The {@code .java} files under a source directory and the existing directories of generated sources. */
  private static List<Path> javaFiles(Path sources, Path generated) {
    List<Path> roots = new ArrayList<>(List.of(sources));
    if (Files.isDirectory(generated)) {
      try (Stream<Path> dirs = Files.list(generated)) {
        dirs.filter(Files::isDirectory).sorted().forEach(roots::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ArenaGuardCli.javaFiles(roots.stream().filter(Files::isDirectory).toList());
  }

  private static List<Element> children(Element parent, String tag) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(tag)) {
        out.add(e);
      }
    }
    return out;
  }

  private static Optional<Element> child(Element parent, String tag) {
    return children(parent, tag).stream().findFirst();
  }

  private static Optional<String> text(Element parent, String tag) {
    return child(parent, tag).map(e -> e.getTextContent().strip()).filter(s -> !s.isEmpty());
  }
}
