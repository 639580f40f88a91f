// Built-in library model for java.util.concurrent: handing work to other threads (@HandsOff),
// waiting for it (@Awaits), and thread-safe containers (@StoresInto / @Derives).
package java.util.concurrent;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
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
  ForkJoinTask<V> fork();
}

class ConcurrentHashMap<K, V> {
  @Derives V put(@StoresInto K key, @StoresInto V value);
  @Derives V get(Object key);
}
