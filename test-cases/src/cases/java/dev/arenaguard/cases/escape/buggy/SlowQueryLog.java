package dev.arenaguard.cases.escape.buggy;

import dev.arenaguard.runtime.ArenaPool;
import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A query server with per-request arenas from a pool keeps the text of slow queries in a list
 * field for a later report; the text is memory of the request's arena, which the pool resets.
 */
public final class SlowQueryLog {
  private static final ArenaPool REQUESTS = ArenaPool.ofConfined("request");
  private static final long SLOW = 200;

  private final List<MemorySegment> slowQueries = new ArrayList<>();

  long execute(String sql) {
    try (BumpArena arena = REQUESTS.acquire()) {
      MemorySegment text = arena.allocateFrom(sql);
      long cost = estimateCost(text);
      if (cost > SLOW) {
        slowQueries.add(text); // BUG: ArenaEscape
      }
      return cost;
    }
  }

  private static long estimateCost(MemorySegment text) {
    String sql = text.getString(0);
    long joins = sql.split(" JOIN ", -1).length - 1;
    return sql.length() + 100 * joins;
  }

  List<String> report() {
    List<String> lines = new ArrayList<>();
    for (MemorySegment sql : slowQueries) {
      lines.add("slow: " + sql.getString(0));
    }
    return lines;
  }

  public static void main(String[] args) {
    SlowQueryLog server = new SlowQueryLog();
    try {
      server.execute("SELECT 1");
      server.execute("SELECT * FROM orders JOIN customers USING (customer_id) JOIN items USING (order_id)");
      server.execute("SELECT count(*) FROM items");
      server.report().forEach(System.out::println);
    } finally {
      REQUESTS.close();
    }
  }
}
