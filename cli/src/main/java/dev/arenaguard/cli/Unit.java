package dev.arenaguard.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * Sources compiled together: a plain source tree, or the main or test sources of one module of a
 * Maven project.
 *
 * @param name how the user knows it, e.g. {@code tiles-core (main)}; for a plain tree, "the sources"
 * @param sources the {@code .java} files
 * @param classpath what the sources need to compile
 * @param output where its classes go, for the units that need them
 * @param needs the units whose classes are on its class path (a unit is skipped when one of them
 *     does not compile)
 */
record Unit(String name, List<Path> sources, List<String> classpath, Path output, List<Unit> needs) {}
