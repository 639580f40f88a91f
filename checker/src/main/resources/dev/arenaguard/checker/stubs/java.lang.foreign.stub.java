// Built-in library model for java.lang.foreign. Vocabulary: docs/library-models.md.
// Methods not listed here have no model: their results are not arena-backed.
package java.lang.foreign;

import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

interface Arena extends SegmentAllocator, AutoCloseable {
  @NewArena("auto") static Arena ofAuto();
  @NewArena("global") static Arena global();
  @NewArena("confined") static Arena ofConfined();
  @NewArena("shared") static Arena ofShared();
  @ArenaScoped MemorySegment allocate(long byteSize, long byteAlignment);
}

interface SegmentAllocator {
  @ArenaScoped MemorySegment allocateFrom(String str);
  @ArenaScoped MemorySegment allocateFrom(String str, Charset charset);
  @ArenaScoped MemorySegment allocateFrom(ValueLayout.OfByte layout, byte value);
  @ArenaScoped MemorySegment allocateFrom(ValueLayout.OfChar layout, char value);
  @ArenaScoped MemorySegment allocateFrom(ValueLayout.OfShort layout, short value);
  @ArenaScoped MemorySegment allocateFrom(ValueLayout.OfInt layout, int value);
  @ArenaScoped MemorySegment allocateFrom(ValueLayout.OfFloat layout, float value);
  @ArenaScoped MemorySegment allocateFrom(ValueLayout.OfLong layout, long value);
  @ArenaScoped MemorySegment allocateFrom(ValueLayout.OfDouble layout, double value);
  @ArenaScoped MemorySegment allocateFrom(AddressLayout layout, MemorySegment value);
  @ArenaScoped MemorySegment allocateFrom(ValueLayout sourceElementLayout, MemorySegment source, ValueLayout elementLayout, long offset, long count);
  @ArenaScoped MemorySegment allocateFrom(ValueLayout.OfByte layout, byte... values);
  @ArenaScoped MemorySegment allocateFrom(ValueLayout.OfShort layout, short... values);
  @ArenaScoped MemorySegment allocateFrom(ValueLayout.OfChar layout, char... values);
  @ArenaScoped MemorySegment allocateFrom(ValueLayout.OfInt layout, int... values);
  @ArenaScoped MemorySegment allocateFrom(ValueLayout.OfFloat layout, float... values);
  @ArenaScoped MemorySegment allocateFrom(ValueLayout.OfLong layout, long... values);
  @ArenaScoped MemorySegment allocateFrom(ValueLayout.OfDouble layout, double... values);
  @ArenaScoped MemorySegment allocate(MemoryLayout layout);
  @ArenaScoped MemorySegment allocate(MemoryLayout elementLayout, long count);
  @ArenaScoped MemorySegment allocate(long byteSize);
  @ArenaScoped MemorySegment allocate(long byteSize, long byteAlignment);
  // An allocator carved out of a segment hands out that segment's memory.
  static SegmentAllocator slicingAllocator(@Derives MemorySegment segment);
  static SegmentAllocator prefixAllocator(@Derives MemorySegment segment);
}

// Whether a call accesses memory is what the JDK does once the arena is closed (JDK 25): a call
// that reads or writes it, or checks that it is alive, throws "Already closed". @NoAccess marks
// the calls that do not: views and the segment's bookkeeping. Unmarked calls access.
interface MemorySegment {
  // Views: they work on freed memory; what is done with the view is the use.
  @Derives @NoAccess MemorySegment asSlice(long offset);
  @Derives @NoAccess MemorySegment asSlice(long offset, long newSize);
  @Derives @NoAccess MemorySegment asSlice(long offset, long newSize, long byteAlignment);
  @Derives @NoAccess MemorySegment asSlice(long offset, MemoryLayout layout);
  @Derives @NoAccess MemorySegment asReadOnly();
  @Derives @NoAccess ByteBuffer asByteBuffer();
  @Derives @NoAccess Stream<MemorySegment> elements(MemoryLayout elementLayout);
  @Derives @NoAccess java.util.Spliterator<MemorySegment> spliterator(MemoryLayout elementLayout);
  @Derives @NoAccess Optional<MemorySegment> asOverlappingSlice(MemorySegment other);
  // reinterpret without an arena keeps the receiver's scope (and checks it is alive); with one,
  // the memory belongs to that arena. Onto another arena it does not throw: it makes freed
  // memory look alive, which is worse, so it counts as a use too.
  @Derives MemorySegment reinterpret(long newSize);
  @ArenaScoped MemorySegment reinterpret(Arena arena, Consumer<MemorySegment> cleanup);
  @ArenaScoped MemorySegment reinterpret(long newSize, Arena arena, Consumer<MemorySegment> cleanup);
  // Fluent: these return the receiver, and write it.
  @Derives MemorySegment fill(byte value);
  @Derives MemorySegment copyFrom(MemorySegment src);
  // Copies out: heap values independent of the segment's arena.
  @CopiesOut byte[] toArray(ValueLayout.OfByte elementLayout);
  @CopiesOut short[] toArray(ValueLayout.OfShort elementLayout);
  @CopiesOut char[] toArray(ValueLayout.OfChar elementLayout);
  @CopiesOut int[] toArray(ValueLayout.OfInt elementLayout);
  @CopiesOut float[] toArray(ValueLayout.OfFloat elementLayout);
  @CopiesOut long[] toArray(ValueLayout.OfLong elementLayout);
  @CopiesOut double[] toArray(ValueLayout.OfDouble elementLayout);
  @CopiesOut String getString(long offset);
  @CopiesOut String getString(long offset, Charset charset);
  static MemorySegment ofBuffer(@Derives java.nio.Buffer buffer);
  // Heap segments: their memory is a Java array, which outlives every arena.
  @OutlivesArena static MemorySegment ofArray(byte[] byteArray);
  @OutlivesArena static MemorySegment ofArray(char[] charArray);
  @OutlivesArena static MemorySegment ofArray(short[] shortArray);
  @OutlivesArena static MemorySegment ofArray(int[] intArray);
  @OutlivesArena static MemorySegment ofArray(float[] floatArray);
  @OutlivesArena static MemorySegment ofArray(long[] longArray);
  @OutlivesArena static MemorySegment ofArray(double[] doubleArray);
  // The segment's bookkeeping, not its memory. The rest throws once the arena is closed: get/set,
  // toArray, getString, copyFrom, fill, mismatch, MemorySegment.copy, reinterpret(newSize), and
  // load, unload, isLoaded and force of a mapped segment. toString is Object's: no model needed.
  @NoAccess long address();
  @NoAccess long byteSize();
  @NoAccess long maxByteAlignment();
  @NoAccess MemorySegment.Scope scope();
  @NoAccess boolean isAccessibleBy(Thread thread);
  @NoAccess boolean isNative();
  @NoAccess boolean isMapped();
  @NoAccess boolean isReadOnly();
  @NoAccess Optional<Object> heapBase();
  @NoAccess boolean equals(Object that);
  @NoAccess int hashCode();
}

interface SymbolLookup {
  // Every symbol a library lookup finds lives as long as the library stays loaded.
  @Derives Optional<MemorySegment> find(String name);
  @Derives MemorySegment findOrThrow(String name);
  @Derives SymbolLookup or(@Derives SymbolLookup other);
  @ArenaScoped static SymbolLookup libraryLookup(String name, Arena arena);
  @ArenaScoped static SymbolLookup libraryLookup(Path path, Arena arena);
}

interface Linker {
  // A downcall handle calls the symbol's address: it is as valid as the symbol.
  MethodHandle downcallHandle(@Derives MemorySegment address, FunctionDescriptor function, Linker.Option... options);
  @ArenaScoped MemorySegment upcallStub(MethodHandle target, FunctionDescriptor function, Arena arena, Linker.Option... options);
}
