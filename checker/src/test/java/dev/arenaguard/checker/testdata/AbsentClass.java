package dev.arenaguard.checker.testdata;

/** Left off the class path of a test: see {@link NeedsAbsentClass}. */
public final class AbsentClass {}
