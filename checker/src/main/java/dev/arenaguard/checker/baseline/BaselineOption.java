package dev.arenaguard.checker.baseline;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The baseline options, {@code -XepOpt:ArenaGuard:Baseline=FILE} and {@code
 * -XepOpt:ArenaGuard:WriteBaseline=true}, read and checked: the baseline to match findings
 * against, or the file to write them to.
 *
 * @param baseline the baseline read (or, when writing, as it was before), null without one
 * @param write whether this compilation writes its findings to the baseline instead of matching them
 */
public record BaselineOption(@Nullable Baseline baseline, boolean write) {

  /** No baseline: every finding is reported. */
  public static final BaselineOption NONE = new BaselineOption(null, false);

  /**
   * The option the values of {@code Baseline} and {@code WriteBaseline} describe (either may be
   * null); a mistake is added to {@code errors} as a sentence naming the option or the file and
   * line, and leaves no baseline.
   *
   * @param prefix how the options are spelled before their names, e.g. {@code -XepOpt:ArenaGuard:}
   */
  public static BaselineOption parse(
      String prefix, @Nullable String file, @Nullable String write, List<String> errors) {
    boolean writing;
    if (write == null || write.equalsIgnoreCase("false")) {
      writing = false;
    } else if (write.equalsIgnoreCase("true")) {
      writing = true;
    } else {
      errors.add(prefix + "WriteBaseline is true or false, not \"" + write + "\"");
      return NONE;
    }
    if (file == null || file.isBlank()) {
      if (writing) {
        errors.add(prefix + "WriteBaseline=true needs the file to write: " + prefix + "Baseline=FILE");
      }
      return NONE; // an empty value is no baseline: a build may leave ${arena-guard.baseline} empty
    }
    Path path;
    try {
      path = Path.of(file.strip());
    } catch (InvalidPathException e) {
      errors.add(prefix + "Baseline names \"" + file + "\", which cannot be a path: " + e.getReason());
      return NONE;
    }
    if (!path.toFile().exists()) {
      if (writing) {
        return new BaselineOption(Baseline.empty(path), true);
      }
      errors.add(
          prefix + "Baseline names " + file + ", which does not exist: write it with ./arena-guard DIR --write-baseline "
              + file + ", or a build with " + prefix + "WriteBaseline=true");
      return NONE;
    }
    try {
      return new BaselineOption(Baseline.read(path), writing);
    } catch (BaselineException e) {
      errors.add("baseline " + e.getMessage() + (writing ? " (not overwritten: correct or delete it)" : ""));
      return NONE;
    }
  }
}
