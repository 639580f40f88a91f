/**
 * The arena-guard annotations: {@link dev.arenaguard.annotations.ArenaScoped} and
 * {@link dev.arenaguard.annotations.OutlivesArena}. No dependencies; class-file retention, so
 * the checker reads them from compiled libraries as well as from sources.
 */
module dev.arenaguard.annotations {
  exports dev.arenaguard.annotations;
}
