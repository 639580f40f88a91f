package dev.arenaguard.runtime;

import java.security.CodeSource;
import java.util.Objects;

/** Where something happened: a thread and the caller's stack, with this library's frames cut. */
final class Site {
  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

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

  static final Site UNKNOWN = new Site("?", new StackTraceElement[0]);

  final String thread;
  final StackTraceElement[] frames;

  private Site(String thread, StackTraceElement[] frames) {
    this.thread = thread;
    this.frames = frames;
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
    return new Site(Thread.currentThread().getName(), frames);
  }

  /** The first frame, as {@code Class.method(File.java:line)}, or {@code "unknown"}. */
  String top() {
    return frames.length == 0 ? "unknown" : frames[0].toString();
  }

  /** The frames, one {@code "    at ..."} line each. */
  String format() {
    StringBuilder out = new StringBuilder();
    for (StackTraceElement frame : frames) {
      out.append("    at ").append(frame).append('\n');
    }
    if (frames.length == 0) {
      out.append("    (no frames recorded)\n");
    }
    return out.toString();
  }

  private static Object location(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    return source == null ? null : source.getLocation();
  }
}
