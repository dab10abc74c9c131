package dev.readiness.spring.boot.autoconfigure;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.config.ChecksConfig;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.drain.DrainSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code readiness.*} settings for Spring Boot applications: the same keys as the framework-free
 * configuration of readiness-core, bound the Spring way (application properties, YAML, environment variables
 * such as {@code READINESS_CHECKS_TIMEOUT}). Durations accept {@code 250ms}, {@code 5s}, {@code 2m} or ISO-8601
 * ({@code PT5S}); a bare number is milliseconds, as everywhere in Spring Boot.
 * <p>
 * A mutable JavaBean only so that Spring can bind it: the auto-configuration turns each group into an immutable,
 * validated object ({@link Checks#toOptions()}) once, at start, and a bad value fails the start with a message
 * naming the key, the value and what is allowed.
 */
@ConfigurationProperties(ReadinessProperties.PREFIX)
public class ReadinessProperties {

    /** The prefix of every key. */
    public static final String PREFIX = "readiness";

    /** Whether readiness is auto-configured at all. */
    private boolean enabled = true;

    /** Default schedule of checks registered without options of their own. */
    private final Checks checks = new Checks();

    /** The management server that serves the probes apart from application traffic. */
    private final Management management = new Management();

    /** Graceful shutdown when Kubernetes stops the pod. */
    private final Drain drain = new Drain();

    /** Spring Boot Actuator integration. */
    private final Actuator actuator = new Actuator();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Checks getChecks() {
        return checks;
    }

    public Management getManagement() {
        return management;
    }

    public Drain getDrain() {
        return drain;
    }

    public Actuator getActuator() {
        return actuator;
    }

    /**
     * {@code readiness.checks.*}: the schedule of dependency checks registered without options, with the same
     * keys and defaults as {@link ChecksConfig}. With the defaults a hung dependency turns readiness DOWN within
     * {@code interval * failure-threshold + timeout} = 7 s.
     */
    public static class Checks {

        /** Time between the starts of two evaluations of a check. */
        private Duration interval = Duration.ofSeconds(5);

        /** Time one evaluation may take before it counts as failed (and its thread is interrupted). */
        private Duration timeout = Duration.ofSeconds(2);

        /** Consecutive failures before a check that is UP turns DOWN. At least 1. */
        private int failureThreshold = 1;

        /** Consecutive successes before a check that is DOWN turns UP. At least 1. */
        private int successThreshold = 1;

        /**
         * Age after which a check's last result counts as DOWN whatever it said. At least interval + timeout.
         * Defaults to 3 x interval + timeout.
         */
        private Duration staleAfter;

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public int getFailureThreshold() {
            return failureThreshold;
        }

        public void setFailureThreshold(int failureThreshold) {
            this.failureThreshold = failureThreshold;
        }

        public int getSuccessThreshold() {
            return successThreshold;
        }

        public void setSuccessThreshold(int successThreshold) {
            this.successThreshold = successThreshold;
        }

        public Duration getStaleAfter() {
            return staleAfter;
        }

        public void setStaleAfter(Duration staleAfter) {
            this.staleAfter = staleAfter;
        }

        /**
         * These settings as core {@link CheckOptions}, validated by the same rules (and with the same messages)
         * as {@link ChecksConfig#toOptions()}.
         *
         * @throws ReadinessConfigException naming the key, the value and what is allowed
         */
        public CheckOptions toOptions() {
            ReadinessConfigException.require(interval != null, "readiness.checks.interval", "",
                    "must be a positive duration");
            ReadinessConfigException.require(timeout != null, "readiness.checks.timeout", "",
                    "must be a positive duration");
            Checks self = this;
            ChecksConfig view = new ChecksConfig() {
                @Override
                public Duration interval() {
                    return self.interval;
                }

                @Override
                public Duration timeout() {
                    return self.timeout;
                }

                @Override
                public int failureThreshold() {
                    return self.failureThreshold;
                }

                @Override
                public int successThreshold() {
                    return self.successThreshold;
                }

                @Override
                public Optional<Duration> staleAfter() {
                    return Optional.ofNullable(self.staleAfter);
                }
            };
            return view.toOptions();
        }
    }

    /**
     * {@code readiness.management.*}: the management server (GET /livez, /readyz, /startupz on its own port).
     * Validated at start; served by readiness-health's management server when it is on the class path.
     */
    public static class Management {

        /** Whether the management server is started. */
        private boolean enabled = true;

        /** TCP port of the management server, 0 for an ephemeral port (tests). Must be 0..65535. */
        private int port = 8081;

        /** Whether {@code ?verbose} adds the per-check detail to probe responses. */
        private boolean details = false;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public boolean isDetails() {
            return details;
        }

        public void setDetails(boolean details) {
            this.details = details;
        }

        /**
         * @throws ReadinessConfigException when the port is outside 0..65535
         */
        public void validate() {
            ReadinessConfigException.require(port >= 0 && port <= 65535, "readiness.management.port", port,
                    "must be 0..65535 (0 picks an ephemeral port)");
        }
    }

    /**
     * {@code readiness.drain.*}: what happens when the application context closes (SIGTERM from Kubernetes).
     * Readiness turns DOWN at once, the application keeps serving for the propagation delay while endpoints are
     * updated, then stops accepting, answers {@code Connection: close}, and waits for in-flight requests up to
     * the timeout; only then do Spring Boot's graceful shutdown and the closing of pools and clients begin. The
     * sum must fit the pod's termination grace period, or Kubernetes kills the drain with SIGKILL; the
     * application says so at start. Same keys and defaults as readiness-core's
     * {@link dev.readiness.core.drain.DrainSettings}.
     */
    public static class Drain {

        /**
         * Whether the drain runs when the context closes. Unset (the default): only on Kubernetes (detected, or
         * {@code spring.main.cloud-platform=kubernetes}), where something routes by readiness; {@code true}:
         * everywhere; {@code false}: never.
         */
        private Boolean enabled;

        /**
         * How long the application keeps serving after readiness turned DOWN, while Kubernetes removes the pod
         * from its Service endpoints. 0 to 1h; default 5s.
         */
        private Duration propagationDelay = DrainSettings.DEFAULT_PROPAGATION_DELAY;

        /**
         * How long in-flight requests may take to finish once the application stopped accepting. 0 to 1h;
         * default 20s.
         */
        private Duration timeout = DrainSettings.DEFAULT_TIMEOUT;

        /**
         * Longest wait for each resource registered with the drain ({@code GracefulDrain.register}) to close.
         * Positive, at most 1h; default 2s.
         */
        private Duration resourceCloseTimeout = DrainSettings.DEFAULT_RESOURCE_CLOSE_TIMEOUT;

        /**
         * The pod's terminationGracePeriodSeconds as configured in its manifest (Kubernetes' default is 30s).
         * Positive; propagation-delay + timeout + resource-close-timeout should fit in it.
         */
        private Duration terminationGracePeriod = DrainSettings.DEFAULT_TERMINATION_GRACE_PERIOD;

        /**
         * Exit status of the JVM after a drain that SIGTERM or SIGINT started: 0..255, or {@code jvm} to let the
         * JVM choose (143 after SIGTERM). Default 0, so Kubernetes does not record a routine stop as an error.
         */
        private String exitCode = String.valueOf(DrainSettings.DEFAULT_EXIT_CODE);

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getPropagationDelay() {
            return propagationDelay;
        }

        public void setPropagationDelay(Duration propagationDelay) {
            this.propagationDelay = propagationDelay;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Duration getResourceCloseTimeout() {
            return resourceCloseTimeout;
        }

        public void setResourceCloseTimeout(Duration resourceCloseTimeout) {
            this.resourceCloseTimeout = resourceCloseTimeout;
        }

        public Duration getTerminationGracePeriod() {
            return terminationGracePeriod;
        }

        public void setTerminationGracePeriod(Duration terminationGracePeriod) {
            this.terminationGracePeriod = terminationGracePeriod;
        }

        public String getExitCode() {
            return exitCode;
        }

        public void setExitCode(String exitCode) {
            this.exitCode = exitCode;
        }

        /**
         * These settings as readiness-core's immutable {@link DrainSettings}, validated by its rules.
         *
         * @throws ReadinessConfigException naming the key, the value and what is allowed
         */
        public DrainSettings toSettings() {
            return DrainSettings.builder().propagationDelay(propagationDelay).timeout(timeout)
                    .resourceCloseTimeout(resourceCloseTimeout).terminationGracePeriod(terminationGracePeriod)
                    .exitCode(parseExitCode(exitCode)).build();
        }

        private static OptionalInt parseExitCode(String value) {
            String v = value == null ? "" : value.trim();
            if (v.equalsIgnoreCase("jvm")) {
                return OptionalInt.empty();
            }
            try {
                return OptionalInt.of(Integer.parseInt(v));
            } catch (NumberFormatException e) {
                throw new ReadinessConfigException("readiness.drain.exit-code", value,
                        "must be 0..255, or 'jvm' to let the JVM choose (143 after SIGTERM)");
            }
        }
    }

    /** {@code readiness.actuator.*}: how readiness feeds Spring Boot Actuator's health endpoint. */
    public static class Actuator {

        /**
         * Whether Actuator's liveness, readiness and startup probes (and Spring's ApplicationAvailability) are fed
         * from readiness' background-evaluated checks.
         */
        private boolean enabled = true;

        /**
         * Whether every other HealthIndicator bean (db, redis, diskSpace, ...) is evaluated in the background
         * on readiness' schedule with readiness' timeout, and the health endpoint shows its latest result
         * instead of calling it on the request thread. Indicators named in Actuator's readiness group are
         * required for readiness; the others only mark it degraded.
         */
        private boolean backgroundIndicators = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isBackgroundIndicators() {
            return backgroundIndicators;
        }

        public void setBackgroundIndicators(boolean backgroundIndicators) {
            this.backgroundIndicators = backgroundIndicators;
        }
    }
}
