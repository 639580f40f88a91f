// Built-in library model for java.util.concurrent.atomic: a reference cell is a container.
package java.util.concurrent.atomic;

class AtomicReference<V> {
  AtomicReference(@StoresInto V initialValue) {}
  void set(@StoresInto V newValue);
  void lazySet(@StoresInto V newValue);
  void setPlain(@StoresInto V newValue);
  void setRelease(@StoresInto V newValue);
  @Derives V getAndSet(@StoresInto V newValue);
  boolean compareAndSet(V expectedValue, @StoresInto V newValue);
  @Derives V get();
  @Derives V getPlain();
  @Derives V getAcquire();
}
