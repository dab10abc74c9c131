package dev.readiness.spring.boot.autoconfigure;

import org.springframework.context.annotation.Conditional;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Matches when the boolean key {@link #value()} is true, read with the one boolean syntax of every readiness key
 * ({@code true/false}, {@code yes/no}, {@code on/off}, {@code 1/0}). Spring's {@code @ConditionalOnBooleanProperty}
 * reads {@code yes} as "not true" and turns the feature off without a word; here a value outside the syntax
 * fails the start naming the key.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(OnReadinessFlagCondition.class)
public @interface ConditionalOnReadinessFlag {

    /** The full key, {@code readiness.management.enabled}. */
    String value();

    /** Whether the condition matches when the key is not set. */
    boolean matchIfMissing() default true;
}
