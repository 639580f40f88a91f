package dev.arenaguard.runtime;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The resolved options of one arena (see {@link BumpArena.Builder}), and the system properties
 * that set their defaults. Properties are read when a builder is created, so a test may set them.
 */
record Config(
    boolean shared,
    long chunkSize,
    long retainOnReset,
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
  static final String WATCHDOG = "arenaguard.watchdog";
  static final String WATCHDOG_MAX_ALLOCATIONS = "arenaguard.watchdog.maxAllocations";
  static final String WATCHDOG_MAX_AGE = "arenaguard.watchdog.maxAge";
  static final String LEAK_DETECTION = "arenaguard.leakDetection";

  /** A child made by {@code newChild}: the parent's options without its limits. */
  Config forChild() {
    return new Config(
        shared,
        chunkSize,
        retainOnReset,
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

  static boolean debugDefault() {
    return Boolean.parseBoolean(System.getProperty(DEBUG, "false"));
  }

  static int sampleRateDefault() {
    return (int) positiveProperty(SAMPLE_RATE, 1, Integer.MAX_VALUE);
  }

  static WatchdogPolicy watchdogDefault() {
    String value = System.getProperty(WATCHDOG, "log");
    try {
      return WatchdogPolicy.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad(WATCHDOG, value, "off, log, jfr or throw");
    }
  }

  static long watchdogMaxAllocationsDefault() {
    return positiveProperty(WATCHDOG_MAX_ALLOCATIONS, 1_000_000, Long.MAX_VALUE);
  }

  static Duration watchdogMaxAgeDefault() {
    String value = System.getProperty(WATCHDOG_MAX_AGE, "PT10M");
    try {
      Duration d = Duration.parse(value.trim());
      if (!d.isNegative() && !d.isZero()) {
        return d;
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw bad(WATCHDOG_MAX_AGE, value, "a positive ISO-8601 duration such as PT10M or PT30S");
  }

  static boolean leakDetectionDefault() {
    return Boolean.parseBoolean(System.getProperty(LEAK_DETECTION, "true"));
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
