// Built-in library model for java.nio.channels: a file mapped into an arena is that arena's memory.
package java.nio.channels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

abstract class FileChannel {
  @ArenaScoped MemorySegment map(FileChannel.MapMode mode, long offset, long size, Arena arena);
}
