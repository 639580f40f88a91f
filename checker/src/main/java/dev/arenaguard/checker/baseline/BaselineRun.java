package dev.arenaguard.checker.baseline;

import com.google.errorprone.BugPattern.SeverityLevel;
import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LineMap;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.tools.javac.api.MultiTaskListener;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.JCDiagnostic;
import com.sun.tools.javac.util.JCDiagnostic.DiagnosticType;
import com.sun.tools.javac.util.Log;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The baseline in one compilation: which files were checked, which findings the baseline
 * absorbed (they are not reported) or, when writing, which findings go into it. At the end of the
 * compilation it writes the baseline, or says in one note how many findings it kept quiet and how
 * many of its entries are stale.
 */
public final class BaselineRun {
  private static final Context.Key<BaselineRun> KEY = new Context.Key<>();

  private final @Nullable Baseline baseline;
  private final boolean write;
  private final Baseline.@Nullable Matching matching;
  private final Set<String> checked = new HashSet<>();
  private final List<BaselineEntry> found = new ArrayList<>();

  private BaselineRun(BaselineOption option, Context context) {
    this.baseline = option.baseline();
    this.write = option.write();
    this.matching = baseline == null ? null : baseline.matching();
    if (baseline != null) {
      MultiTaskListener.instance(context)
          .add(
              new TaskListener() {
                @Override
                public void finished(TaskEvent e) {
                  if (e.getKind() == TaskEvent.Kind.COMPILATION) {
                    finish(context);
                  }
                }
              });
    }
  }

  /** The baseline run of the compilation {@code state} belongs to. */
  public static BaselineRun of(VisitorState state, BaselineOption option) {
    BaselineRun run = state.context.get(KEY);
    if (run == null) {
      run = new BaselineRun(option, state.context);
      state.context.put(KEY, run);
    }
    return run;
  }

  /** Notes that {@code unit} is being checked: its entries are now matched or replaced. */
  public void checking(CompilationUnitTree unit) {
    if (baseline != null) {
      checked.add(baseline.fileKey(sourcePath(unit)));
    }
  }

  /**
   * The finding to report: none when the baseline holds it; when writing the baseline, the finding
   * as a warning (it is recorded, and must not stop the build before every module is recorded).
   */
  public Description report(Description finding, VisitorState state) {
    if (baseline == null || finding == Description.NO_MATCH) {
      return finding;
    }
    BaselineEntry entry = entry(finding, state);
    if (write) {
      found.add(entry);
      return finding.applySeverityOverride(SeverityLevel.WARNING); // kept: the build applies its levels only where none is set
    }
    return matching.absorbs(entry) ? Description.NO_MATCH : finding;
  }

  private BaselineEntry entry(Description finding, VisitorState state) {
    CompilationUnitTree unit = state.getPath().getCompilationUnit();
    int start = finding.position.getStartPosition();
    JCTree tree = finding.position.getTree();
    int end = tree == null ? start : Math.max(start, state.getEndPosition(tree));
    LineMap lines = unit.getLineMap();
    String code =
        BaselineEntry.code(state.getSourceCode(), (int) lines.getLineNumber(start), (int) lines.getLineNumber(end));
    return new BaselineEntry(finding.checkName, baseline.fileKey(sourcePath(unit)), code);
  }

  private static Path sourcePath(CompilationUnitTree unit) {
    URI uri = unit.getSourceFile().toUri();
    try {
      return Path.of(uri);
    } catch (RuntimeException e) {
      return Path.of(uri.getPath() != null ? uri.getPath() : unit.getSourceFile().getName());
    }
  }

  private void finish(Context context) {
    String note;
    DiagnosticType type = DiagnosticType.NOTE;
    if (write) {
      try {
        Baseline written = Baseline.write(baseline.file(), checked, found);
        note =
            "arena-guard: " + count(found.size(), "finding") + " of this compilation written to the baseline "
                + baseline.file() + " (" + written.size() + " in all)";
      } catch (BaselineException e) {
        note = "arena-guard could not write the baseline: " + e.getMessage();
        type = DiagnosticType.ERROR;
      }
    } else {
      List<BaselineEntry> stale = matching.stale(checked);
      List<String> parts = new ArrayList<>();
      if (matching.absorbed() > 0) {
        parts.add(count(matching.absorbed(), "finding") + " not reported: in the baseline " + baseline.file());
      }
      if (!stale.isEmpty()) {
        parts.add(
            count(stale.size(), "entry", "entries") + " of the baseline " + baseline.file()
                + " matched no finding (stale: the code was fixed or changed); write the baseline again to drop "
                + (stale.size() == 1 ? "it" : "them"));
      }
      if (parts.isEmpty()) {
        return;
      }
      note = "arena-guard: " + String.join("; ", parts);
    }
    // Error Prone's own message key, "{0}": javac has no key for a plugin's free text.
    Log.instance(context).report(JCDiagnostic.Factory.instance(context).create(type, null, null, "error.prone", note));
  }

  static String count(int n, String one) {
    return count(n, one, one + "s");
  }

  static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
