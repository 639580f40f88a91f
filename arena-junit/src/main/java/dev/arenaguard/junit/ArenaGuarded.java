package dev.arenaguard.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class or method under the {@link ArenaGuardExtension}: the test fails if it leaves an
 * arena open, or if the retention watchdog fires during it; with {@link #strict()}, a use after
 * reset fails with the debug report that names where the segment was allocated and where its
 * epoch ended.
 *
 * <pre>{@code
 * @ArenaGuarded(strict = true)
 * class RequestHandlerTest { ... }
 * }</pre>
 *
 * <p>On a method, it overrides the class's setting. Equivalent to {@code
 * @ExtendWith(ArenaGuardExtension.class)} plus the configuration.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(ArenaGuardExtension.class)
public @interface ArenaGuarded {
  /**
   * Strict mode: arenas created during the test are in debug mode, recording every allocation site
   * and every epoch's (slower), and a use after reset, phase end or close that fails the test is reported
   * with both sites. Default: the configuration parameter {@value
   * ArenaGuardExtension#STRICT_PARAMETER}, else off.
   */
  boolean strict() default false;
}
