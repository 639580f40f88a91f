package dev.arenaguard.runtime;

import java.security.CodeSource;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where something happened: a thread and the caller's stack, with this library's frames cut.
 *
 * <p>Two ways to take one. {@link #capture(int)} walks the stack at once, stopping after the frames
 * it keeps: for a creation site, of which the first frame is read at once (watchdog, leak and JFR
 * reports). {@link #trace()} only records the stack, as a {@link Throwable} does (the VM fills in
 * its backtrace, a few times cheaper than walking it into frames), and resolves the frames when a
 * report first reads them: for debug mode, which records sites that are mostly never reported.
 */
final class Site {
  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  /** The frames a site keeps. */
  static final int MAX_FRAMES = 24;

  /** Frames of this library (not its examples or tests) and of the JDK's FFM implementation. */
  private static final ClassValue<Boolean> INTERNAL =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          String pkg = type.getPackageName();
          if (pkg.equals("java.lang.foreign") || pkg.startsWith("jdk.internal.foreign")) {
            return true;
          }
          return pkg.equals(Site.class.getPackageName())
              && Objects.equals(location(type), location(Site.class));
        }
      };

  private static final StackTraceElement[] NO_FRAMES = {};

  final String thread;
  /** False for a site of which debug mode's sampling recorded only the thread. */
  final boolean sampled;
  /** The recorded stack of a {@link #trace()}, until its frames are resolved. */
  private Throwable trace;

  private StackTraceElement[] frames;

  private Site(String thread, StackTraceElement[] frames, Throwable trace, boolean sampled) {
    this.thread = thread;
    this.sampled = sampled;
    this.frames = frames;
    this.trace = trace;
  }

  /** The calling thread and up to {@code maxFrames} frames of its stack outside this library. */
  static Site capture(int maxFrames) {
    StackTraceElement[] frames =
        WALKER.walk(
            s ->
                s.dropWhile(f -> INTERNAL.get(f.getDeclaringClass()))
                    .limit(maxFrames)
                    .map(StackWalker.StackFrame::toStackTraceElement)
                    .toArray(StackTraceElement[]::new));
    return new Site(Thread.currentThread().getName(), frames, null, true);
  }

  /** The calling thread and its stack, recorded now and resolved to frames when first read. */
  static Site trace() {
    return new Site(Thread.currentThread().getName(), null, new Throwable(), true);
  }

  /** The calling thread only: debug mode's sampling passed this one over. */
  static Site unsampled() {
    return new Site(Thread.currentThread().getName(), NO_FRAMES, null, false);
  }

  /** Up to {@value #MAX_FRAMES} frames outside this library, innermost first. */
  synchronized StackTraceElement[] frames() {
    if (frames == null) {
      StackTraceElement[] all = trace.getStackTrace();
      int first = 0;
      while (first < all.length && isInternal(all[first])) {
        first++;
      }
      frames = Arrays.copyOfRange(all, first, Math.min(all.length, first + MAX_FRAMES));
      trace = null;
    }
    return frames;
  }

  private static boolean isInternal(StackTraceElement frame) {
    try {
      return INTERNAL.get(Class.forName(frame.getClassName(), false, Site.class.getClassLoader()));
    } catch (ClassNotFoundException | LinkageError e) {
      return false; // not visible from here: not ours
    }
  }

  /** The first frame, as {@code Class.method(File.java:line)}, or {@code "unknown"}. */
  String top() {
    StackTraceElement[] f = frames();
    return f.length == 0 ? "unknown" : f[0].toString();
  }

  /** The frames, one {@code "    at ..."} line each. */
  String format() {
    StringBuilder out = new StringBuilder();
    for (StackTraceElement frame : frames()) {
      out.append("    at ").append(frame).append('\n');
    }
    if (!sampled) {
      out.append("    (stack not sampled; -Darenaguard.debug.sampleRate=1 records every one)\n");
    } else if (frames().length == 0) {
      out.append("    (no frames recorded)\n");
    }
    return out.toString();
  }

  private static Object location(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    return source == null ? null : source.getLocation();
  }
}
