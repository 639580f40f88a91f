package dev.arenaguard.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings every runtime benchmark shares (JMH reads them from the superclass): sized for a
 * shared 2-core machine — one fork, 5 × 1 s of warmup (the JIT compiles late when other builds load
 * the machine), 5 × 1 s of measurement — and run with
 * native access, which the runtime's restricted calls need.
 *
 * <p>The throughput tables read CPU time per operation ({@link CpuTimeProfiler}) rather than JMH's
 * wall-clock mean: on a machine that other builds load, a benchmark thread waits for a core for
 * much of the wall-clock time. The latency benchmarks time every call ({@code Mode.SampleTime}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
abstract class RuntimeBenchmark {}
