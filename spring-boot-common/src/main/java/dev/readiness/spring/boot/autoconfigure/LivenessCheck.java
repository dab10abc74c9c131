package dev.readiness.spring.boot.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Registers a {@link dev.readiness.core.check.LocalCheck} bean for the liveness probe, under its bean name.
 * Put it on the {@code @Bean} method or on the check's class.
 * <p>
 * Without an annotation a check bean goes to readiness: a check wrongly placed in readiness takes one pod out
 * of rotation for a while, a check wrongly placed in liveness restarts pods in a loop. Liveness is the
 * deliberate choice. A {@link dev.readiness.core.check.DependencyCheck} bean with this annotation fails the
 * start: a liveness probe that follows a shared dependency restarts every replica at once.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface LivenessCheck {
}
