package dev.readiness.core.config;

import dev.readiness.core.check.CheckOptions;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code readiness.checks.*}: default schedule of dependency checks registered without options.
 * <pre>
 * readiness.checks.interval=5s            # READINESS_CHECKS_INTERVAL
 * readiness.checks.timeout=2s
 * readiness.checks.failure-threshold=1
 * readiness.checks.success-threshold=1
 * readiness.checks.stale-after=17s        # default 3 x interval + timeout
 * readiness.checks.initial-retry-delay=100ms  # 0ms turns start-up retries off
 * </pre>
 */
@ConfigMapping(prefix = "readiness.checks")
public interface ChecksConfig {

    /** Time between the starts of two evaluations. */
    @WithDefault("5s")
    Duration interval();

    /** Time one evaluation may take before it counts as failed. */
    @WithDefault("2s")
    Duration timeout();

    /** Consecutive failures before a check that is UP turns DOWN. */
    @WithDefault("1")
    int failureThreshold();

    /** Consecutive successes before a check that is DOWN turns UP. */
    @WithDefault("1")
    int successThreshold();

    /** Age after which a result counts as DOWN. */
    Optional<Duration> staleAfter();

    /**
     * Delay before re-evaluating a check that has never succeeded, doubling while below the interval; 0 turns
     * these retries off ({@link CheckOptions#initialRetryDelay()}).
     */
    @WithDefault("100ms")
    Duration initialRetryDelay();

    /**
     * The defaults as {@link CheckOptions}.
     *
     * @throws ReadinessConfigException naming the key, the value and what is allowed
     */
    default CheckOptions toOptions() {
        String p = "readiness.checks.";
        ReadinessConfigException.require(!interval().isNegative() && !interval().isZero(), p + "interval",
                interval(), "must be a positive duration");
        ReadinessConfigException.require(!timeout().isNegative() && !timeout().isZero(), p + "timeout",
                timeout(), "must be a positive duration");
        ReadinessConfigException.require(interval().compareTo(CheckOptions.MAX_DURATION) <= 0, p + "interval",
                interval(), "must be at most " + CheckOptions.MAX_DURATION);
        ReadinessConfigException.require(timeout().compareTo(CheckOptions.MAX_DURATION) <= 0, p + "timeout",
                timeout(), "must be at most " + CheckOptions.MAX_DURATION);
        ReadinessConfigException.require(failureThreshold() >= 1, p + "failure-threshold", failureThreshold(),
                "must be at least 1");
        ReadinessConfigException.require(successThreshold() >= 1, p + "success-threshold", successThreshold(),
                "must be at least 1");
        staleAfter().ifPresent(s -> ReadinessConfigException.require(s.compareTo(interval().plus(timeout())) >= 0,
                p + "stale-after", s, "must be at least interval + timeout (" + interval().plus(timeout()) + ")"));
        staleAfter().ifPresent(s -> ReadinessConfigException.require(s.compareTo(CheckOptions.MAX_STALE_AFTER) <= 0,
                p + "stale-after", s, "must be at most " + CheckOptions.MAX_STALE_AFTER));
        ReadinessConfigException.require(initialRetryDelay() != null && !initialRetryDelay().isNegative(),
                p + "initial-retry-delay", initialRetryDelay(), "must be 0 (off) or a positive duration");
        ReadinessConfigException.require(initialRetryDelay().compareTo(CheckOptions.MAX_DURATION) <= 0,
                p + "initial-retry-delay", initialRetryDelay(), "must be at most " + CheckOptions.MAX_DURATION);
        CheckOptions.Builder b = CheckOptions.builder().interval(interval()).timeout(timeout())
                .failureThreshold(failureThreshold()).successThreshold(successThreshold())
                .initialRetryDelay(initialRetryDelay());
        staleAfter().ifPresent(b::staleAfter);
        return b.build();
    }

    /** Reads and validates {@code readiness.checks.*} from {@code config}. */
    static CheckOptions from(Config config) {
        ChecksConfig mapped = ReadinessConfig.mapping(config, ChecksConfig.class);
        return ReadinessConfig.validate(config, mapped::toOptions);
    }
}
