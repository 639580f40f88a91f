package dev.arenaguard.runtime;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The resolved options of one arena (see {@link BumpArena.Builder}), and the system properties
 * that set their defaults. Properties are read when a builder is created, so a test may set them.
 */
record Config(
    boolean shared,
    long chunkSize,
    long maxChunkSize,
    long retainOnReset,
    long surplusDecayNanos,
    long byteLimit,
    long treeByteLimit,
    boolean debug,
    int sampleRate,
    WatchdogPolicy watchdog,
    long watchdogMaxAllocations,
    long watchdogMaxAgeNanos,
    boolean leakDetection,
    boolean zeroMemory) {

  static final String DEBUG = "arenaguard.debug";
  static final String SAMPLE_RATE = "arenaguard.debug.sampleRate";

  /**
   * Debug mode's default sample rate: one epoch in 256 records the stacks where it opened and
   * ended, and one allocation in 256 where it was made. A stack costs about half a microsecond;
   * at this rate debug mode costs a request of 100 allocations about 1.4 times its time without
   * (docs/PERFORMANCE.md), where recording every one costs about 50 times.
   */
  static final int DEFAULT_SAMPLE_RATE = 256;
  static final String WATCHDOG = "arenaguard.watchdog";
  static final String WATCHDOG_MAX_ALLOCATIONS = "arenaguard.watchdog.maxAllocations";
  static final String WATCHDOG_MAX_AGE = "arenaguard.watchdog.maxAge";
  static final String LEAK_DETECTION = "arenaguard.leakDetection";
  /** Read once, when the first arena is created: register the JMX bean ({@link ArenaMXBeans}). */
  static final String JMX = "arenaguard.jmx";

  /** A child made by {@code newChild}: the parent's options without its limits. */
  Config forChild() {
    return new Config(
        shared,
        chunkSize,
        maxChunkSize,
        retainOnReset,
        surplusDecayNanos,
        Long.MAX_VALUE,
        Long.MAX_VALUE,
        debug,
        sampleRate,
        watchdog,
        watchdogMaxAllocations,
        watchdogMaxAgeNanos,
        leakDetection,
        zeroMemory);
  }

  /** The defaults the system properties give, parsed once per distinct set of values. */
  record Defaults(
      List<String> raw,
      boolean debug,
      int sampleRate,
      WatchdogPolicy watchdog,
      long watchdogMaxAllocations,
      Duration watchdogMaxAge,
      boolean leakDetection) {}

  private static final List<String> KEYS =
      List.of(DEBUG, SAMPLE_RATE, WATCHDOG, WATCHDOG_MAX_ALLOCATIONS, WATCHDOG_MAX_AGE, LEAK_DETECTION);

  private static volatile Defaults cached;

  /** The current defaults; reads the properties (cheap) and parses them only when they changed. */
  static Defaults defaults() {
    List<String> raw = new ArrayList<>(KEYS.size());
    for (String key : KEYS) {
      raw.add(System.getProperty(key));
    }
    Defaults d = cached;
    if (d == null || !d.raw().equals(raw)) {
      d =
          new Defaults(
              raw,
              Boolean.parseBoolean(System.getProperty(DEBUG, "false")),
              (int) positiveProperty(SAMPLE_RATE, DEFAULT_SAMPLE_RATE, Integer.MAX_VALUE),
              watchdogProperty(),
              positiveProperty(WATCHDOG_MAX_ALLOCATIONS, 1_000_000, Long.MAX_VALUE),
              durationProperty(WATCHDOG_MAX_AGE, "PT10M"),
              Boolean.parseBoolean(System.getProperty(LEAK_DETECTION, "true")));
      cached = d;
    }
    return d;
  }

  private static WatchdogPolicy watchdogProperty() {
    String value = System.getProperty(WATCHDOG, "log");
    try {
      return WatchdogPolicy.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad(WATCHDOG, value, "off, log, jfr or throw");
    }
  }

  private static Duration durationProperty(String key, String defaultValue) {
    String value = System.getProperty(key, defaultValue);
    try {
      Duration d = Duration.parse(value.trim());
      if (!d.isNegative() && !d.isZero()) {
        return d;
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw bad(key, value, "a positive ISO-8601 duration such as PT10M or PT30S");
  }

  private static long positiveProperty(String key, long defaultValue, long max) {
    String value = System.getProperty(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      long n = Long.parseLong(value.trim().replace("_", ""));
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad(key, value, "a whole number from 1 to " + max);
  }

  private static IllegalArgumentException bad(String key, String value, String expected) {
    return new IllegalArgumentException(
        "system property " + key + "=\"" + value + "\" is not valid: expected " + expected);
  }
}
