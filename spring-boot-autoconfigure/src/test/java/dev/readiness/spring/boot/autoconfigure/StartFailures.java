package dev.readiness.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;

import static org.assertj.core.api.Assertions.assertThat;

/** The one assertion every bad-value test makes: the start failed, and the analysis names the key and what is allowed. */
public final class StartFailures {

    private StartFailures() {
    }

    /**
     * Asserts that {@code context} failed to start and that {@link ReadinessFailureAnalyzer} describes the failure
     * naming {@code key} and {@code allowed}; returns the analysis for further assertions.
     */
    public static FailureAnalysis analysisNaming(ApplicationContextAssertProvider<?> context, String key, String allowed) {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = new ReadinessFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
        assertThat(analysis.getDescription()).contains("'" + key + "'", allowed);
        return analysis;
    }
}
