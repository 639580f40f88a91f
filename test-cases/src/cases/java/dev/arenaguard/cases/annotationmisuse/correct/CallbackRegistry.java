package dev.arenaguard.cases.annotationmisuse.correct;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.arenaguard.annotations.OutlivesArena;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * A callback registry declares what it keeps: an {@code @OutlivesArena} class, field, parameter
 * and method result, fed with upcall stubs from the global arena.
 */
@OutlivesArena
public final class CallbackRegistry {
  @OutlivesArena private final List<MemorySegment> callbacks = new ArrayList<>();

  void register(@OutlivesArena MemorySegment callback) {
    callbacks.add(callback);
  }

  @OutlivesArena
  MemorySegment first() {
    return callbacks.getFirst();
  }

  static int onEvent(int code) {
    return code + 1;
  }

  /** The stub native code calls back, created once for the life of the program. */
  static final MemorySegment ON_EVENT;

  static {
    try {
      ON_EVENT =
          Linker.nativeLinker()
              .upcallStub(
                  MethodHandles.lookup()
                      .findStatic(CallbackRegistry.class, "onEvent", MethodType.methodType(int.class, int.class)),
                  FunctionDescriptor.of(JAVA_INT, JAVA_INT),
                  Arena.global());
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  public static void main(String[] args) {
    CallbackRegistry registry = new CallbackRegistry();
    registry.register(ON_EVENT);
    if (registry.first().address() != ON_EVENT.address() || ADDRESS.byteSize() != 8) {
      throw new AssertionError();
    }
  }
}
