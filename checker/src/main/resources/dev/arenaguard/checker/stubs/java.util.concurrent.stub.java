// Built-in library model for java.util.concurrent: handing work to other threads (@HandsOff),
// waiting for it (@Awaits), and thread-safe containers (@StoresInto / @Derives).
package java.util.concurrent;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

interface Executor {
  void execute(@HandsOff Runnable command);
}

interface ExecutorService {
  <T> Future<T> submit(@HandsOff Callable<T> task);
  <T> Future<T> submit(@HandsOff Runnable task, T result);
  Future<?> submit(@HandsOff Runnable task);
  @Awaits <T> List<Future<T>> invokeAll(@HandsOff Collection<? extends Callable<T>> tasks);
  @Awaits <T> List<Future<T>> invokeAll(@HandsOff Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit);
  @Awaits <T> T invokeAny(@HandsOff Collection<? extends Callable<T>> tasks);
  @Awaits <T> T invokeAny(@HandsOff Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit);
  @Awaits void close();
  @Awaits boolean awaitTermination(long timeout, TimeUnit unit);
}

interface ScheduledExecutorService {
  ScheduledFuture<?> schedule(@HandsOff Runnable command, long delay, TimeUnit unit);
  <V> ScheduledFuture<V> schedule(@HandsOff Callable<V> callable, long delay, TimeUnit unit);
  ScheduledFuture<?> scheduleAtFixedRate(@HandsOff Runnable command, long initialDelay, long period, TimeUnit unit);
  ScheduledFuture<?> scheduleWithFixedDelay(@HandsOff Runnable command, long initialDelay, long delay, TimeUnit unit);
}

interface Future<V> {
  @Awaits V get();
  @Awaits V get(long timeout, TimeUnit unit);
  @Awaits V resultNow();
}

class CompletableFuture<T> {
  static CompletableFuture<Void> runAsync(@HandsOff Runnable runnable);
  static CompletableFuture<Void> runAsync(@HandsOff Runnable runnable, Executor executor);
  static <U> CompletableFuture<U> supplyAsync(@HandsOff Supplier<U> supplier);
  static <U> CompletableFuture<U> supplyAsync(@HandsOff Supplier<U> supplier, Executor executor);
  // Every *Async stage runs its function on another thread (the default or the given executor).
  <U> CompletableFuture<U> thenApplyAsync(@HandsOff Function<? super T, ? extends U> fn);
  <U> CompletableFuture<U> thenApplyAsync(@HandsOff Function<? super T, ? extends U> fn, Executor executor);
  CompletableFuture<Void> thenAcceptAsync(@HandsOff Consumer<? super T> action);
  CompletableFuture<Void> thenAcceptAsync(@HandsOff Consumer<? super T> action, Executor executor);
  CompletableFuture<Void> thenRunAsync(@HandsOff Runnable action);
  CompletableFuture<Void> thenRunAsync(@HandsOff Runnable action, Executor executor);
  <U, V> CompletableFuture<V> thenCombineAsync(CompletionStage<? extends U> other, @HandsOff BiFunction<? super T, ? super U, ? extends V> fn);
  <U, V> CompletableFuture<V> thenCombineAsync(CompletionStage<? extends U> other, @HandsOff BiFunction<? super T, ? super U, ? extends V> fn, Executor executor);
  <U> CompletableFuture<Void> thenAcceptBothAsync(CompletionStage<? extends U> other, @HandsOff BiConsumer<? super T, ? super U> action);
  <U> CompletableFuture<Void> thenAcceptBothAsync(CompletionStage<? extends U> other, @HandsOff BiConsumer<? super T, ? super U> action, Executor executor);
  CompletableFuture<Void> runAfterBothAsync(CompletionStage<?> other, @HandsOff Runnable action);
  CompletableFuture<Void> runAfterBothAsync(CompletionStage<?> other, @HandsOff Runnable action, Executor executor);
  <U> CompletableFuture<U> applyToEitherAsync(CompletionStage<? extends T> other, @HandsOff Function<? super T, U> fn);
  <U> CompletableFuture<U> applyToEitherAsync(CompletionStage<? extends T> other, @HandsOff Function<? super T, U> fn, Executor executor);
  CompletableFuture<Void> acceptEitherAsync(CompletionStage<? extends T> other, @HandsOff Consumer<? super T> action);
  CompletableFuture<Void> acceptEitherAsync(CompletionStage<? extends T> other, @HandsOff Consumer<? super T> action, Executor executor);
  CompletableFuture<Void> runAfterEitherAsync(CompletionStage<?> other, @HandsOff Runnable action);
  CompletableFuture<Void> runAfterEitherAsync(CompletionStage<?> other, @HandsOff Runnable action, Executor executor);
  <U> CompletableFuture<U> thenComposeAsync(@HandsOff Function<? super T, ? extends CompletionStage<U>> fn);
  <U> CompletableFuture<U> thenComposeAsync(@HandsOff Function<? super T, ? extends CompletionStage<U>> fn, Executor executor);
  CompletableFuture<T> whenCompleteAsync(@HandsOff BiConsumer<? super T, ? super Throwable> action);
  CompletableFuture<T> whenCompleteAsync(@HandsOff BiConsumer<? super T, ? super Throwable> action, Executor executor);
  <U> CompletableFuture<U> handleAsync(@HandsOff BiFunction<? super T, Throwable, ? extends U> fn);
  <U> CompletableFuture<U> handleAsync(@HandsOff BiFunction<? super T, Throwable, ? extends U> fn, Executor executor);
  CompletableFuture<T> exceptionallyAsync(@HandsOff Function<Throwable, ? extends T> fn);
  CompletableFuture<T> exceptionallyAsync(@HandsOff Function<Throwable, ? extends T> fn, Executor executor);
  CompletableFuture<T> completeAsync(@HandsOff Supplier<? extends T> supplier);
  CompletableFuture<T> completeAsync(@HandsOff Supplier<? extends T> supplier, Executor executor);
  @Awaits T join();
  @Awaits T get();
}

class ForkJoinPool {
  @Awaits <T> T invoke(@HandsOff ForkJoinTask<T> task);
  <T> ForkJoinTask<T> submit(@HandsOff ForkJoinTask<T> task);
  void execute(@HandsOff ForkJoinTask<?> task);
}

abstract class ForkJoinTask<V> {
  @Awaits V join();
  @Awaits V invoke();
  @Awaits V get();
  // The task runs on a pool thread; join() awaits it.
  @HandsOff ForkJoinTask<V> fork();
  @Awaits static void invokeAll(@HandsOff ForkJoinTask<?> t1, @HandsOff ForkJoinTask<?> t2);
  @Awaits static void invokeAll(@HandsOff ForkJoinTask<?>... tasks);
  @Awaits static <T extends ForkJoinTask<?>> Collection<T> invokeAll(@HandsOff Collection<T> tasks);
}

interface ThreadFactory {
  Thread newThread(@HandsOff Runnable r);
}

class ConcurrentHashMap<K, V> {
  @Derives V put(@StoresInto K key, @StoresInto V value);
  @Derives V get(Object key);
}
