package dev.arenaguard.checker.baseline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A baseline file (SPEC §4.5): the findings a code base had when the gate was turned on, which
 * are not reported again, so that only new findings fail the build. Written by the main command
 * ({@code --write-baseline}) and by the build ({@code -XepOpt:ArenaGuard:WriteBaseline=true}),
 * read by the checker ({@code -XepOpt:ArenaGuard:Baseline=FILE}).
 *
 * <p>A text file, one finding per line: the check, the file (relative to the baseline's own
 * directory, so that the project can move), and the code of the flagged lines, separated by tabs;
 * lines starting with {@code #} are comments. The same finding twice is two lines: an entry
 * absorbs one finding.
 */
public final class Baseline {

  private static final String HEADER =
      """
      # arena-guard baseline: findings that existed when it was written; they are not reported again.
      # One finding per line: check, file (relative to this file), the code of the flagged lines; tab-separated.
      # Write it again with ./arena-guard DIR --write-baseline FILE, or a build with -XepOpt:ArenaGuard:WriteBaseline=true.
      """;

  private final Path file;
  private final Path directory;
  private final Map<BaselineEntry, Integer> entries;

  private Baseline(Path file, Map<BaselineEntry, Integer> entries) {
    this.file = file.toAbsolutePath().normalize();
    this.directory = real(this.file.getParent());
    this.entries = entries;
  }

  /** A baseline without entries, to be written to {@code file}. */
  public static Baseline empty(Path file) {
    return new Baseline(file, new TreeMap<>());
  }

  /** Reads a baseline file. */
  public static Baseline read(Path file) throws BaselineException {
    if (!Files.isRegularFile(file)) {
      throw new BaselineException(file + " does not exist or is not a file");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new BaselineException(file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new BaselineException(file + " cannot be read: " + e, e);
    }
    return new Baseline(file, parse(file, text));
  }

  private static Map<BaselineEntry, Integer> parse(Path file, String text) throws BaselineException {
    Map<BaselineEntry, Integer> entries = new TreeMap<>();
    int number = 0;
    for (String line : text.split("\\R", -1)) {
      number++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      try {
        if (fields.length != 3) {
          throw new IllegalArgumentException(
              "expected a check, a file and code separated by tabs, found " + fields.length + (fields.length == 1 ? " field" : " fields"));
        }
        entries.merge(new BaselineEntry(fields[0], fields[1], fields[2]), 1, Integer::sum);
      } catch (IllegalArgumentException e) {
        String shown = line.length() > 80 ? line.substring(0, 77) + "..." : line;
        throw new BaselineException(file + ":" + number + ": " + e.getMessage() + ": " + shown.replace("\t", "\\t"));
      }
    }
    return entries;
  }

  /** The baseline file, absolute. */
  public Path file() {
    return file;
  }

  /** How many findings the baseline holds. */
  public int size() {
    return entries.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** How a source file is named in this baseline: relative to the baseline's directory, with {@code /}. */
  public String fileKey(Path source) {
    Path relative = directory.relativize(real(source.toAbsolutePath().normalize()));
    List<String> names = new ArrayList<>();
    relative.forEach(name -> names.add(name.toString()));
    return String.join("/", names);
  }

  /** A fresh matching of findings against this baseline (one per compilation or run). */
  public Matching matching() {
    return new Matching(new TreeMap<>(entries));
  }

  /**
   * Findings matched against a baseline: each entry absorbs one finding with the same check, file
   * and code; the entries left over in the files that were checked are stale.
   */
  public static final class Matching {
    private final Map<BaselineEntry, Integer> left;
    private int absorbed;

    private Matching(Map<BaselineEntry, Integer> left) {
      this.left = left;
    }

    /** Whether the baseline holds this finding (then it is not reported). */
    public boolean absorbs(BaselineEntry finding) {
      Integer n = left.get(finding);
      if (n == null) {
        return false;
      }
      if (n == 1) {
        left.remove(finding);
      } else {
        left.put(finding, n - 1);
      }
      absorbed++;
      return true;
    }

    /** How many findings the baseline absorbed. */
    public int absorbed() {
      return absorbed;
    }

    /** The entries of the given files that absorbed no finding: fixed, or changed code. */
    public List<BaselineEntry> stale(Set<String> checkedFiles) {
      List<BaselineEntry> stale = new ArrayList<>();
      left.forEach(
          (entry, n) -> {
            if (checkedFiles.contains(entry.file())) {
              for (int i = 0; i < n; i++) {
                stale.add(entry);
              }
            }
          });
      return stale;
    }
  }

  /**
   * Records the findings of the checked files in the baseline file: their old entries are
   * replaced, the entries of other files are kept while those files exist. Several compilations
   * (the modules of a build, main and test sources, builds running in parallel) may write one
   * file: each merges its own files under a lock on the file.
   *
   * @param checkedFiles the files that were checked, as {@link #fileKey} names them
   * @return the baseline as written
   */
  public static Baseline write(Path file, Set<String> checkedFiles, Collection<BaselineEntry> findings)
      throws BaselineException {
    Path absolute = file.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute.getParent());
      try (FileChannel channel =
              FileChannel.open(absolute, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
          FileLock lock = lock(channel)) {
        String old = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(readAll(channel))).toString();
        Baseline kept = new Baseline(absolute, parse(absolute, old));
        Map<BaselineEntry, Integer> merged = new TreeMap<>();
        kept.entries.forEach(
            (entry, n) -> {
              if (!checkedFiles.contains(entry.file()) && Files.exists(kept.directory.resolve(entry.file()))) {
                merged.put(entry, n);
              }
            });
        for (BaselineEntry finding : findings) {
          merged.merge(finding, 1, Integer::sum);
        }
        StringBuilder text = new StringBuilder(HEADER);
        merged.forEach(
            (entry, n) -> {
              for (int i = 0; i < n; i++) {
                text.append(entry.check()).append('\t').append(entry.file()).append('\t').append(entry.code()).append('\n');
              }
            });
        channel.truncate(0);
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        channel.position(0);
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
        return new Baseline(absolute, merged);
      }
    } catch (CharacterCodingException e) {
      throw new BaselineException(absolute + " is not UTF-8 text; not overwritten");
    } catch (IOException | UncheckedIOException e) {
      throw new BaselineException("cannot write the baseline " + absolute + ": " + e, e);
    } catch (BaselineException e) {
      throw new BaselineException(e.getMessage() + " (not overwritten: correct or delete it)", e);
    }
  }

  /**
   * Locks the file against other processes; within one JVM (compilations in parallel, each with
   * its own class loader) the JDK throws instead of waiting, so this waits itself.
   */
  private static FileLock lock(FileChannel channel) throws IOException {
    while (true) {
      try {
        return channel.lock();
      } catch (OverlappingFileLockException e) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the baseline's lock", interrupted);
        }
      }
    }
  }

  private static byte[] readAll(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
    channel.position(0);
    while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
      // read on
    }
    return buffer.array();
  }

  /** The real path where it exists (so that a link and its target are one file), else as given. */
  private static Path real(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException | SecurityException e) {
      return path;
    }
  }
}
