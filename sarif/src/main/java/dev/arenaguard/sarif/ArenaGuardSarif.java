package dev.arenaguard.sarif;

import com.sun.source.util.JavacTask;
import com.sun.source.util.Plugin;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.tools.javac.api.BasicJavacTask;
import com.sun.tools.javac.processing.JavacProcessingEnvironment;
import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.JCDiagnostic;
import com.sun.tools.javac.util.Log;
import com.sun.tools.javac.util.Options;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.StandardLocation;

/**
 * A javac plugin that writes the arena-guard diagnostics of a compilation as a SARIF 2.1.0 log,
 * for editors and code-scanning tools (Error Prone itself has no such output).
 *
 * <pre>
 * javac -Xplugin:ErrorProne "-Xplugin:ArenaGuardSarif target/arena-guard.sarif" ...
 * </pre>
 *
 * <p>An optional second argument names the run ({@code automationDetails.id}, which GitHub code
 * scanning uses as the category); by default it is {@code arena-guard/} and the class output
 * directory, so that a module's main and test compilations are two runs of one file.
 *
 * <p>It is found on the processor path next to Error Prone, like Error Prone itself. It records
 * each arena-guard diagnostic that javac actually reports — after Error Prone's
 * {@code @SuppressWarnings} handling and {@code -Xep:Name:LEVEL} settings, and after javac's own
 * filters ({@code -nowarn}, {@code -Xmaxerrs}, one error per position) — so the log shows what
 * the build printed. The file is written when the compilation finishes, also when it failed.
 * Several compilations may write one file (see {@link SarifLog}).
 */
public final class ArenaGuardSarif implements Plugin {

  /** The plugin's name in {@code -Xplugin:ArenaGuardSarif FILE}. */
  public static final String NAME = "ArenaGuardSarif";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public void init(JavacTask task, String... args) {
    Context context = ((BasicJavacTask) task).getContext();
    if (args.length < 1 || args.length > 2 || args[0].isBlank()) {
      JavacProcessingEnvironment.instance(context)
          .getMessager()
          .printMessage(
              Diagnostic.Kind.ERROR,
              "-Xplugin:" + NAME + " needs the SARIF file to write, and optionally the run's id, e.g."
                  + " -Xplugin:\"" + NAME + " target/arena-guard.sarif\" (got " + List.of(args) + ")");
      return;
    }
    Path base = Path.of("").toAbsolutePath();
    Path file = base.resolve(args[0]);
    Map<String, Rule> rules = Rule.present(ArenaGuardSarif.class.getClassLoader());
    List<Finding> findings = new ArrayList<>();
    Map<URI, CharSequence> sources = new HashMap<>();
    Log log = Log.instance(context);
    log.new DiagnosticHandler() {
      @Override
      public void report(JCDiagnostic diagnostic) {
        int errors = log.nerrors;
        int warnings = log.nwarnings;
        prev.report(diagnostic);
        boolean reported =
            switch (diagnostic.getKind()) {
              case ERROR -> log.nerrors > errors;
              case WARNING, MANDATORY_WARNING -> log.nwarnings > warnings;
              default -> true;
            };
        if (reported) {
          Finding.of(diagnostic, rules, sources).ifPresent(findings::add);
        }
      }
    };
    task.addTaskListener(
        new TaskListener() {
          @Override
          public void finished(TaskEvent e) {
            if (e.getKind() == TaskEvent.Kind.COMPILATION) {
              try {
                String runId =
                    args.length > 1
                        ? args[1]
                        : "arena-guard/" + outputDirectory(context).map(d -> relative(base, d) + "/").orElse("");
                SarifLog.write(file, runId, version(), rules.values(), findings, base);
              } catch (IOException | RuntimeException ex) {
                log.printRawLines(Log.WriterKind.ERROR, "error: arena-guard could not write the SARIF log " + file + ": " + ex);
                log.nerrors++;
              }
            }
          }
        });
  }

  /**
   * The compilation's class output directory: {@code -d}, or the file manager's class output
   * (build tools such as Maven set it there rather than as an option).
   */
  private static Optional<Path> outputDirectory(Context context) {
    String d = Options.instance(context).get("-d");
    if (d != null) {
      return Optional.of(Path.of(d));
    }
    JavaFileManager files = context.get(JavaFileManager.class);
    try {
      if (files != null && files.hasLocation(StandardLocation.CLASS_OUTPUT)) {
        FileObject probe = files.getFileForOutput(StandardLocation.CLASS_OUTPUT, "", "arena-guard.probe", null);
        return Optional.of(Path.of(probe.toUri()).getParent());
      }
    } catch (IOException | RuntimeException e) {
      // no output directory known: the run gets the plain id
    }
    return Optional.empty();
  }

  private static String relative(Path base, Path path) {
    Path absolute = base.resolve(path).normalize();
    return (absolute.startsWith(base) ? base.relativize(absolute) : absolute).toString().replace('\\', '/');
  }

  /** The version of arena-guard, from the jar's Maven metadata. */
  static String version() {
    try (InputStream in =
        ArenaGuardSarif.class.getResourceAsStream(
            "/META-INF/maven/dev.arenaguard/arena-guard-sarif/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "unknown");
      }
    } catch (IOException e) {
      // fall through
    }
    return "unknown";
  }
}
