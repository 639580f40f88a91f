// Built-in library model for java.lang: threads run their task elsewhere; ThreadLocal is a
// container that outlives any call.
package java.lang;

import java.time.Duration;

class Thread {
  Thread(@HandsOff Runnable task) {}
  Thread(@HandsOff Runnable task, String name) {}
  Thread(ThreadGroup group, @HandsOff Runnable task) {}
  Thread(ThreadGroup group, @HandsOff Runnable task, String name) {}
  static Thread startVirtualThread(@HandsOff Runnable task);
  // A Thread subclass (or anonymous Thread) runs its own run() on the new thread.
  @HandsOff void start();
  @Awaits void join();
  @Awaits boolean join(Duration duration);
  @Awaits void join(long millis);

  interface Builder {
    Thread start(@HandsOff Runnable task);
    Thread unstarted(@HandsOff Runnable task);
  }
}

class ThreadLocal<T> {
  void set(@StoresInto T value);
  @Derives @NoAccess T get();
}
