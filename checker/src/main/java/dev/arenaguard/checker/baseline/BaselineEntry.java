package dev.arenaguard.checker.baseline;

/**
 * What identifies a finding in a baseline (SPEC §4.5): the check that made it, its file, and the
 * code of the line or lines it flags. No line number: an edit elsewhere in the file moves the
 * finding, and it still matches; an edit of the flagged code itself makes it a new finding.
 *
 * @param check the check's name, e.g. {@code ArenaEscape}
 * @param file the source file, relative to the baseline file's directory, with {@code /}
 * @param code the flagged lines, white space collapsed to single spaces (see {@link #code})
 */
public record BaselineEntry(String check, String file, String code) implements Comparable<BaselineEntry> {

  /** How much of the flagged code an entry keeps: enough to tell findings apart, one line of text. */
  static final int CODE_LENGTH = 200;

  public BaselineEntry {
    if (!check.matches("[A-Za-z]\\w*")) {
      throw new IllegalArgumentException("not a check name: " + check);
    }
    if (file.isEmpty() || file.contains("\t") || file.contains("\n") || file.contains("\r")) {
      throw new IllegalArgumentException("a file name a baseline cannot hold: " + file);
    }
    if (code.isEmpty() || !code.equals(collapse(code))) {
      throw new IllegalArgumentException("code a baseline cannot hold: " + code);
    }
  }

  /**
   * The code of lines {@code firstLine} to {@code lastLine} (1-based, inclusive) of {@code source}:
   * joined, white space collapsed (so that indentation and line breaks do not matter), cut after
   * {@value #CODE_LENGTH} characters. {@code "?"} when the lines are not in the source (so that an
   * entry can always be made).
   */
  public static String code(CharSequence source, int firstLine, int lastLine) {
    StringBuilder lines = new StringBuilder();
    int line = 1;
    int start = 0;
    int length = source.length();
    for (int i = 0; i <= length && line <= lastLine; i++) {
      char c = i < length ? source.charAt(i) : '\n';
      if (c == '\n' || c == '\r') {
        if (line >= firstLine) {
          lines.append(source, start, i).append(' ');
        }
        if (c == '\r' && i + 1 < length && source.charAt(i + 1) == '\n') {
          i++;
        }
        line++;
        start = i + 1;
      }
    }
    String code = collapse(lines);
    if (code.length() > CODE_LENGTH) {
      int cut = Character.isHighSurrogate(code.charAt(CODE_LENGTH - 1)) ? CODE_LENGTH - 1 : CODE_LENGTH;
      code = code.substring(0, cut).strip();
    }
    return code.isEmpty() ? "?" : code;
  }

  private static String collapse(CharSequence text) {
    return text.toString().strip().replaceAll("\\s+", " ");
  }

  /** Sorted by file, then check, then code: the order of the baseline file. */
  @Override
  public int compareTo(BaselineEntry o) {
    int c = file.compareTo(o.file);
    if (c == 0) {
      c = check.compareTo(o.check);
    }
    return c != 0 ? c : code.compareTo(o.code);
  }
}
