// Built-in library model for java.util: containers of arena-backed values are arena-backed, and
// reading out of them yields arena-backed values (SPEC 2.0.7).
package java.util;

import java.util.function.Supplier;
import java.util.stream.Stream;

final class Optional<T> {
  static <T> Optional<T> of(@Derives T value);
  static <T> Optional<T> ofNullable(@Derives T value);
  @Derives T get();
  @Derives T orElseThrow();
  @Derives <X extends Throwable> T orElseThrow(Supplier<? extends X> exceptionSupplier);
  @Derives T orElse(@Derives T other);
  @Derives Optional<T> filter(java.util.function.Predicate<? super T> predicate);
  @Derives <U> Optional<U> map(@Derives java.util.function.Function<? super T, ? extends U> mapper);
  @Derives Stream<T> stream();
}

interface Iterable<T> {
  @Derives Iterator<T> iterator();
}

interface Iterator<E> {
  @Derives E next();
}

interface ListIterator<E> {
  @Derives E previous();
}

interface Collection<E> {
  boolean add(@StoresInto E e);
  boolean addAll(@StoresInto Collection<? extends E> c);
  @Derives Iterator<E> iterator();
  @Derives Stream<E> stream();
  @Derives Stream<E> parallelStream();
  @Derives Object[] toArray();
  @Derives <T> T[] toArray(T[] a);
}

interface SequencedCollection<E> {
  void addFirst(@StoresInto E e);
  void addLast(@StoresInto E e);
  @Derives E getFirst();
  @Derives E getLast();
  @Derives E removeFirst();
  @Derives E removeLast();
}

interface List<E> {
  // List.of(a) .. List.of(a, b, c): fixed-arity overloads that javac picks before the varargs one.
  static <E> List<E> of(@Derives E e1);
  static <E> List<E> of(@Derives E e1, @Derives E e2);
  static <E> List<E> of(@Derives E e1, @Derives E e2, @Derives E e3);
  static <E> List<E> of(@Derives E... elements);
  static <E> List<E> copyOf(@Derives Collection<? extends E> coll);
  boolean add(@StoresInto E e);
  void add(int index, @StoresInto E element);
  boolean addAll(@StoresInto Collection<? extends E> c);
  @Derives E set(int index, @StoresInto E element);
  @Derives E get(int index);
  @Derives E remove(int index);
  @Derives List<E> subList(int fromIndex, int toIndex);
  @Derives Iterator<E> iterator();
  @Derives ListIterator<E> listIterator();
  @Derives Object[] toArray();
  @Derives <T> T[] toArray(T[] a);
}

interface Set<E> {
  static <E> Set<E> of(@Derives E e1);
  static <E> Set<E> of(@Derives E e1, @Derives E e2);
  static <E> Set<E> of(@Derives E e1, @Derives E e2, @Derives E e3);
  static <E> Set<E> of(@Derives E... elements);
  boolean add(@StoresInto E e);
  @Derives Iterator<E> iterator();
}

interface Queue<E> {
  boolean offer(@StoresInto E e);
  @Derives E poll();
  @Derives E peek();
  @Derives E element();
  @Derives E remove();
}

interface Deque<E> {
  void push(@StoresInto E e);
  void addFirst(@StoresInto E e);
  void addLast(@StoresInto E e);
  boolean offerFirst(@StoresInto E e);
  boolean offerLast(@StoresInto E e);
  @Derives E pop();
  @Derives E pollFirst();
  @Derives E pollLast();
  @Derives E peekFirst();
  @Derives E peekLast();
}

interface Map<K, V> {
  static <K, V> Map<K, V> of(@Derives K k1, @Derives V v1);
  @Derives V put(@StoresInto K key, @StoresInto V value);
  @Derives V putIfAbsent(@StoresInto K key, @StoresInto V value);
  void putAll(@StoresInto Map<? extends K, ? extends V> m);
  @Derives V get(Object key);
  @Derives V getOrDefault(Object key, @Derives V defaultValue);
  @Derives V remove(Object key);
  @Derives Collection<V> values();
  @Derives Set<K> keySet();
  @Derives Set<Map.Entry<K, V>> entrySet();

  interface Entry<K, V> {
    @Derives K getKey();
    @Derives V getValue();
  }
}

final class Objects {
  static <T> T requireNonNull(@Derives T obj);
  static <T> T requireNonNull(@Derives T obj, String message);
  static <T> T requireNonNullElse(@Derives T obj, @Derives T defaultObj);
}

final class Arrays {
  static <T> List<T> asList(@Derives T... a);
  static <T> Stream<T> stream(@Derives T[] array);
  static <T> T[] copyOf(@Derives T[] original, int newLength);
}
