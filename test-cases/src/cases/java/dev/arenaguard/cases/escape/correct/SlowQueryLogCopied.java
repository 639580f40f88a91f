package dev.arenaguard.cases.escape.correct;

import dev.arenaguard.runtime.ArenaPool;
import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The query server keeps a copy of each slow query's text (a Java string read out of the request
 * arena), so the report outlives the requests.
 */
public final class SlowQueryLogCopied {
  private static final ArenaPool REQUESTS = ArenaPool.ofConfined("request");
  private static final long SLOW = 200;

  private final List<String> slowQueries = new ArrayList<>();

  long execute(String sql) {
    try (BumpArena arena = REQUESTS.acquire()) {
      MemorySegment text = arena.allocateFrom(sql);
      long cost = estimateCost(text);
      if (cost > SLOW) {
        slowQueries.add(text.getString(0));
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
    for (String sql : slowQueries) {
      lines.add("slow: " + sql);
    }
    return lines;
  }

  public static void main(String[] args) {
    SlowQueryLogCopied server = new SlowQueryLogCopied();
    try {
      server.execute("SELECT 1");
      server.execute("SELECT * FROM orders JOIN customers USING (customer_id) JOIN items USING (order_id)");
      server.execute("SELECT count(*) FROM items");
      if (server.report().size() != 1) {
        throw new AssertionError(server.report());
      }
    } finally {
      REQUESTS.close();
    }
  }
}
