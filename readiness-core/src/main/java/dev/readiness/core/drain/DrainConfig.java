package dev.readiness.core.drain;

import dev.readiness.core.config.ReadinessConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.eclipse.microprofile.config.Config;

import java.time.Duration;

/**
 * {@code readiness.drain.*}: how a service drains on SIGTERM.
 * <pre>
 * readiness.drain.propagation-delay=5s          # READINESS_DRAIN_PROPAGATION_DELAY
 * readiness.drain.timeout=20s                   # READINESS_DRAIN_TIMEOUT
 * readiness.drain.resource-close-timeout=2s     # READINESS_DRAIN_RESOURCE_CLOSE_TIMEOUT
 * readiness.drain.termination-grace-period=30s  # READINESS_DRAIN_TERMINATION_GRACE_PERIOD
 * readiness.drain.exit-code=0                   # 0..255, or "jvm"
 * </pre>
 */
@ConfigMapping(prefix = "readiness.drain")
public interface DrainConfig {

    /** Time readiness is DOWN while the service keeps serving, so endpoints and load balancers drop the pod. */
    @WithDefault("5s")
    Duration propagationDelay();

    /** Longest wait for in-flight requests once accepting stopped. */
    @WithDefault("20s")
    Duration timeout();

    /** Longest wait for one registered resource to close. */
    @WithDefault("2s")
    Duration resourceCloseTimeout();

    /** The pod's {@code terminationGracePeriodSeconds}; the drain must fit in it. */
    @WithDefault("30s")
    Duration terminationGracePeriod();

    /**
     * Exit status after a drain that a signal started: {@code 0..255}, or {@code jvm} to let the JVM exit by
     * itself (143 after SIGTERM).
     */
    @WithDefault("0")
    String exitCode();

    /**
     * The validated settings.
     *
     * @throws dev.readiness.core.config.ReadinessConfigException naming the key, the value and what is allowed
     */
    default DrainSettings toSettings() {
        return DrainSettings.builder()
                .propagationDelay(propagationDelay())
                .timeout(timeout())
                .resourceCloseTimeout(resourceCloseTimeout())
                .terminationGracePeriod(terminationGracePeriod())
                .exitCode(DrainSettings.parseExitCode(exitCode()))
                .build();
    }

    /** Reads and validates {@code readiness.drain.*} from {@code config}. */
    static DrainSettings from(Config config) {
        return ReadinessConfig.mapping(config, DrainConfig.class).toSettings();
    }
}
