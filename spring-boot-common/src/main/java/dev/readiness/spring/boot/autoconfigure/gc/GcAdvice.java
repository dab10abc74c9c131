package dev.readiness.spring.boot.autoconfigure.gc;

import dev.readiness.gc.runtime.GcAdvisor;

import java.util.List;

/**
 * What readiness-gc-tuning's advisor logged at start, as a bean: one entry per disagreement between the JVM and
 * its container (empty when they agree, or with {@code readiness.gc.advisor.enabled=false}).
 *
 * @param advice the disagreements, each with a code and a message
 */
public record GcAdvice(List<GcAdvisor.Advice> advice) {

    public GcAdvice {
        advice = List.copyOf(advice);
    }
}
