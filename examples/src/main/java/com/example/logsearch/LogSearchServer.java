package com.example.logsearch;

import dev.arenaguard.runtime.ArenaPool;
import dev.arenaguard.runtime.BumpArena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A log search server: each request gets an arena from a pool, encodes its query there, scans
 * the log and answers with the matching lines.
 */
public final class LogSearchServer implements AutoCloseable {
  private static final int RECENT = 16;

  private final ArenaPool requests = ArenaPool.ofConfined("search-request");
  private final Deque<MemorySegment> recentQueries = new ArrayDeque<>();
  private final List<String> log;

  public LogSearchServer(List<String> log) {
    this.log = List.copyOf(log);
  }

  public List<String> search(String query) {
    try (BumpArena arena = requests.acquire()) {
      MemorySegment needle = arena.allocateFrom(query);
      remember(needle);
      return log.stream().filter(line -> Matcher.contains(line, needle)).toList();
    }
  }

  /** Bug: the query lives in the request's arena, which is reset when the request ends. */
  private void remember(MemorySegment query) {
    if (recentQueries.size() == RECENT) {
      recentQueries.removeFirst();
    }
    recentQueries.addLast(query);
  }

  public List<String> recentQueries() {
    return recentQueries.stream().map(q -> q.getString(0)).toList();
  }

  @Override
  public void close() {
    requests.close();
  }

  public static void main(String[] args) {
    try (LogSearchServer server = new LogSearchServer(List.of("GET /index 200", "GET /admin 403", "POST /login 200"))) {
      System.out.println(server.search("200"));
      System.out.println(server.search("admin"));
      System.out.println("recent: " + server.recentQueries());
    }
  }
}
