package dev.arenaguard.checker.model;

import com.google.common.collect.ImmutableSet;
import dev.arenaguard.checker.core.ArenaKind;
import java.util.Optional;

/**
 * What a library model says about one method or constructor: the annotations its stub carries,
 * in the vocabulary of {@code docs/library-models.md}.
 *
 * <p>Parameter positions are zero-based; a position at or past the last parameter of a varargs
 * method means the varargs parameter.
 *
 * @param scopedResult {@code @ArenaScoped} on the method: the result is memory of the arena the
 *     call was given (an arena argument, else the receiver arena or the receiver's arena).
 * @param derivesFromReceiver {@code @Derives} on the method: the result holds or views the
 *     receiver's memory (a slice, a view, a fluent {@code this}, an element read from a container).
 * @param derivesFromParams {@code @Derives} on parameters: the result holds or views those
 *     arguments ({@code Optional.of(v)}, {@code List.of(..)}, {@code downcallHandle(symbol, ..)}).
 * @param copiesOut {@code @CopiesOut}: the result is a copy and never arena-backed.
 * @param newArena {@code @NewArena(kind)}: the method creates an arena of that kind; empty when
 *     not a factory. {@link ArenaKind#UNKNOWN} means "the receiver arena's kind" (a child).
 * @param phase {@code @Phase}: the result is a phase of the receiver arena; opened in
 *     try-with-resources, the receiver's allocations made inside the block die at its end.
 * @param resets {@code @Resets}: the call frees everything the receiver arena allocated so far.
 * @param awaits {@code @Awaits}: the call waits for the task its receiver stands for
 *     ({@code Future.get}, {@code Thread.join}, {@code ExecutorService.close}), or for the tasks
 *     handed off in the same call ({@code invokeAll}).
 * @param outlivesResult {@code @OutlivesArena} on the method: the result outlives every arena.
 * @param outlivesArenaParams {@code @OutlivesArena} on parameters: the callee keeps the argument
 *     beyond the call (in Java or in native code).
 * @param storesIntoReceiverParams {@code @StoresInto} on parameters: the argument is put into
 *     the receiver container ({@code List.add}, {@code AtomicReference.set}).
 * @param handsOffParams {@code @HandsOff} on parameters: the argument is run or used by another
 *     thread ({@code Executor.execute}, {@code new Thread(r)}).
 * @param arenaFactory {@code @ArenaFactory(kind)}: the result makes arenas of that kind (a
 *     builder, a pool); {@link ArenaKind#UNKNOWN} means the kind of the receiver or of the argument
 *     that makes arenas ({@code ArenaPool.of(template, n)}); empty when not a factory.
 * @param handsOffReceiver {@code @HandsOff} on the method: the receiver, a task, runs on another
 *     thread ({@code ForkJoinTask.fork()}, {@code Thread.start()}).
 * @param noAccess {@code @NoAccess} on the method: the call accesses the memory of neither its
 *     receiver nor its arguments ({@code byteSize()}, {@code equals}, a buffer's {@code
 *     position()}), so it works after their arena is closed.
 */
public record MethodModel(
    boolean scopedResult,
    boolean derivesFromReceiver,
    ImmutableSet<Integer> derivesFromParams,
    boolean copiesOut,
    Optional<ArenaKind> newArena,
    boolean phase,
    boolean resets,
    boolean awaits,
    boolean outlivesResult,
    ImmutableSet<Integer> outlivesArenaParams,
    ImmutableSet<Integer> storesIntoReceiverParams,
    ImmutableSet<Integer> handsOffParams,
    Optional<ArenaKind> arenaFactory,
    boolean handsOffReceiver,
    boolean noAccess) {

  /** The model of a method no stub mentions. */
  public static final MethodModel NONE =
      new MethodModel(
          false,
          false,
          ImmutableSet.of(),
          false,
          Optional.empty(),
          false,
          false,
          false,
          false,
          ImmutableSet.of(),
          ImmutableSet.of(),
          ImmutableSet.of(),
          Optional.empty(),
          false,
          false);

  /** Whether a parameter position carries the given set's property, honouring varargs. */
  public static boolean has(ImmutableSet<Integer> params, int position, int arity, boolean varargs) {
    if (params.contains(position)) {
      return true;
    }
    return varargs && position >= arity - 1 && params.contains(arity - 1);
  }

  /** Combines two models of the same method (a built-in stub and a user stub, say). */
  public MethodModel merge(MethodModel other) {
    return new MethodModel(
        scopedResult || other.scopedResult,
        derivesFromReceiver || other.derivesFromReceiver,
        union(derivesFromParams, other.derivesFromParams),
        copiesOut || other.copiesOut,
        newArena.isPresent() ? newArena : other.newArena,
        phase || other.phase,
        resets || other.resets,
        awaits || other.awaits,
        outlivesResult || other.outlivesResult,
        union(outlivesArenaParams, other.outlivesArenaParams),
        union(storesIntoReceiverParams, other.storesIntoReceiverParams),
        union(handsOffParams, other.handsOffParams),
        arenaFactory.isPresent() ? arenaFactory : other.arenaFactory,
        handsOffReceiver || other.handsOffReceiver,
        noAccess || other.noAccess);
  }

  private static ImmutableSet<Integer> union(ImmutableSet<Integer> a, ImmutableSet<Integer> b) {
    return ImmutableSet.<Integer>builder().addAll(a).addAll(b).build();
  }
}
