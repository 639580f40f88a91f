package dev.arenaguard.sarif;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * One arena-guard diagnostic as javac reported it: the check that made it, its level, where it is
 * (1-based lines and columns, columns counted in UTF-16 code units with a tab as one column, as
 * SARIF counts them), and its message without Error Prone's decorations.
 *
 * @param check the check's name, e.g. {@code ArenaEscape}
 * @param level {@code error}, {@code warning} or {@code note} (the SARIF levels)
 * @param file the source file
 * @param line the first line of the flagged code
 * @param column the first column of the flagged code
 * @param endLine the last line of the flagged code
 * @param endColumn the column just past the flagged code
 * @param message what is wrong and how to fix it (the first paragraph of the diagnostic)
 * @param suggestion Error Prone's "Did you mean" text for the attached fix, or empty
 * @param link the check's documentation page, or empty
 */
public record Finding(
    String check,
    String level,
    URI file,
    int line,
    int column,
    int endLine,
    int endColumn,
    String message,
    String suggestion,
    String link) {

  private static final Pattern CHECK = Pattern.compile("^\\[(\\w+)\\]\\s*");
  private static final Pattern SEE = Pattern.compile("\\n\\s*\\(see (\\S+)\\)");
  private static final Pattern DID_YOU_MEAN = Pattern.compile("\\n\\s*Did you mean (.*)$", Pattern.DOTALL);

  /**
   * The finding a diagnostic stands for, if it is located in a source file and made by one of the
   * given checks.
   *
   * @param sources the contents of source files seen so far, by URI, to compute positions
   */
  public static Optional<Finding> of(
      Diagnostic<? extends JavaFileObject> diagnostic,
      Map<String, ?> checks,
      Map<URI, CharSequence> sources) {
    JavaFileObject file = diagnostic.getSource();
    String text = diagnostic.getMessage(Locale.ROOT);
    Matcher check = CHECK.matcher(text);
    if (file == null || text == null || !check.find() || !checks.containsKey(check.group(1))) {
      return Optional.empty();
    }
    String body = text.substring(check.end());
    String link = "";
    Matcher see = SEE.matcher(body);
    if (see.find()) {
      link = see.group(1);
      body = body.substring(0, see.start()) + body.substring(see.end());
    }
    String suggestion = "";
    Matcher didYouMean = DID_YOU_MEAN.matcher(body);
    if (didYouMean.find()) {
      suggestion = didYouMean.group(1).strip();
      body = body.substring(0, didYouMean.start());
    }
    long start = diagnostic.getStartPosition();
    long end = Math.max(diagnostic.getEndPosition(), start);
    CharSequence content = sources.computeIfAbsent(file.toUri(), u -> read(file));
    int line;
    int column;
    int endLine;
    int endColumn;
    if (start >= 0 && content != null && end <= content.length()) {
      int[] s = position(content, (int) start);
      int[] e = position(content, (int) end);
      line = s[0];
      column = s[1];
      endLine = e[0];
      endColumn = e[1];
    } else {
      line = (int) Math.max(1, diagnostic.getLineNumber());
      column = (int) Math.max(1, diagnostic.getColumnNumber());
      endLine = line;
      endColumn = column;
    }
    if (endLine == line && endColumn <= column) {
      endColumn = column + 1; // SARIF regions are not empty
    }
    return Optional.of(
        new Finding(
            check.group(1),
            level(diagnostic.getKind()),
            file.toUri(),
            line,
            column,
            endLine,
            endColumn,
            body.strip(),
            suggestion,
            link));
  }

  /** The SARIF level of a javac diagnostic kind. */
  public static String level(Diagnostic.Kind kind) {
    return switch (kind) {
      case ERROR -> "error";
      case WARNING, MANDATORY_WARNING -> "warning";
      default -> "note";
    };
  }

  private static CharSequence read(JavaFileObject file) {
    try {
      return file.getCharContent(true);
    } catch (IOException | UnsupportedOperationException e) {
      return null; // positions then come from the diagnostic's own line and column
    }
  }

  /** 1-based line and column of a character offset. */
  private static int[] position(CharSequence content, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      char c = content.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= content.length() || content.charAt(i + 1) != '\n'))) {
        line++;
        lineStart = i + 1;
      }
    }
    return new int[] {line, offset - lineStart + 1};
  }
}
