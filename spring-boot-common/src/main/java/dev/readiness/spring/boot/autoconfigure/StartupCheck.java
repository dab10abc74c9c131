package dev.readiness.spring.boot.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Registers a check bean ({@link dev.readiness.core.check.LocalCheck} or
 * {@link dev.readiness.core.check.DependencyCheck}) for the startup probe, under its bean name, instead of for
 * readiness: startup completes only once it is UP. Put it on the {@code @Bean} method or on the check's class.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface StartupCheck {
}
