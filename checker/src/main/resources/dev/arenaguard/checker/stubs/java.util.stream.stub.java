// Built-in library model for java.util.stream: a stream of arena-backed values, and what its
// terminal operations collect, are arena-backed.
package java.util.stream;

import java.util.List;
import java.util.Optional;
import java.util.Iterator;

interface Stream<T> {
  static <T> Stream<T> of(@Derives T t);
  static <T> Stream<T> of(@Derives T... values);
  @Derives Stream<T> filter(java.util.function.Predicate<? super T> predicate);
  @Derives Stream<T> sorted();
  @Derives Stream<T> distinct();
  @Derives Stream<T> limit(long maxSize);
  @Derives Stream<T> skip(long n);
  @Derives Stream<T> peek(java.util.function.Consumer<? super T> action);
  // A mapped stream holds what the mapper returns: derived from the elements or from what the
  // mapper captures. (When the result type cannot hold memory, Stream<Long> or Stream<byte[]>,
  // it holds none.)
  @Derives <R> Stream<R> map(@Derives java.util.function.Function<? super T, ? extends R> mapper);
  @Derives <R> Stream<R> flatMap(@Derives java.util.function.Function<? super T, ? extends Stream<? extends R>> mapper);
  @Derives List<T> toList();
  @Derives Optional<T> findFirst();
  @Derives Optional<T> findAny();
  @Derives Object[] toArray();
  @Derives <A> A[] toArray(java.util.function.IntFunction<A[]> generator);
  @Derives <R, A> R collect(Collector<? super T, A, R> collector);
}

interface BaseStream<T, S extends BaseStream<T, S>> {
  @Derives Iterator<T> iterator();
  @Derives S parallel();
  @Derives S sequential();
  @Derives S unordered();
}
