package dev.readiness.spring.boot.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;


/**
 * The {@code readiness.*} settings that only the Spring Boot starter has: which auto-configurations run. Every
 * feature's own keys are declared once, by its module's builder, and read through {@link ReadinessSettings} with
 * the same syntax as everywhere else (a duration needs a unit).
 * <p>
 * A mutable JavaBean only so that Spring can bind it: the auto-configuration turns each group into an immutable,
 * validated object once, at start, and a bad value fails the start with a message naming the key, the value and
 * what is allowed.
 */
@ConfigurationProperties(ReadinessProperties.PREFIX)
public class ReadinessProperties {

    /** The prefix of every key. */
    public static final String PREFIX = "readiness";

    /** Whether readiness is auto-configured at all. */
    private boolean enabled = true;

    /** The management server that serves the probes apart from application traffic. */
    private final Management management = new Management();

    /** Graceful shutdown when Kubernetes stops the pod. */
    private final Drain drain = new Drain();

    /** Spring Boot Actuator integration. */
    private final Actuator actuator = new Actuator();

    /** Readiness checks for the application's pools, clients and circuit breakers. */
    private final Dependencies dependencies = new Dependencies();

    /** The watched ConfigMap directory. */
    private final Config config = new Config();

    /** GC advisor and GC-pressure liveness. */
    private final Gc gc = new Gc();

    /** HTTP sessions in Redis. */
    private final Sessions sessions = new Sessions();

    /** Spring gRPC servers: health from the registry, the drain, connection age. */
    private final Grpc grpc = new Grpc();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
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

    public Dependencies getDependencies() {
        return dependencies;
    }

    public Config getConfig() {
        return config;
    }

    public Gc getGc() {
        return gc;
    }

    public Sessions getSessions() {
        return sessions;
    }

    public Grpc getGrpc() {
        return grpc;
    }

    /**
     * {@code readiness.grpc.*}: every Spring gRPC server answers {@code grpc.health.v1.Health} from the registry
     * (services {@code ""}, {@code readiness}, {@code liveness}, {@code startup}, for Kubernetes' native gRPC
     * probes), is drained on SIGTERM with a graceful GOAWAY, and closes connections at
     * {@code readiness.grpc.max-connection-age}. Needs readiness-grpc and Spring gRPC; the other keys are
     * readiness-grpc's ({@link dev.readiness.grpc.GrpcSettings#KEYS}), read by {@link ReadinessSettings}.
     */
    public static class Grpc {

        /** Whether Spring gRPC servers are wired to readiness (when readiness-grpc and Spring gRPC are present). */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * {@code readiness.management.*}: readiness' own management server (GET /livez, /readyz, /startupz, and
     * /metrics with a Prometheus registry) on its own port, apart from application traffic. Needs
     * readiness-health; works with or without Spring Boot Actuator.
     */
    public static class Management {

        /** Whether the management server is started (when readiness-health is on the class path). */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * {@code readiness.drain.*}: what happens when the application context closes (SIGTERM from Kubernetes).
     * Readiness turns DOWN at once, the application keeps serving for the propagation delay while endpoints are
     * updated, then stops accepting, answers {@code Connection: close}, and waits for in-flight requests up to
     * the timeout; only then do Spring Boot's graceful shutdown and the closing of pools and clients begin. The
     * sum must fit the pod's termination grace period, or Kubernetes kills the drain with SIGKILL; the
     * application says so at start. The other keys are readiness-core's
     * ({@link dev.readiness.core.drain.DrainSettings#KEYS}), read by {@link ReadinessSettings}.
     */
    public static class Drain {

        /**
         * Whether the drain runs when the context closes. Unset (the default): only on Kubernetes (detected, or
         * {@code spring.main.cloud-platform=kubernetes}), where something routes by readiness; {@code true}:
         * everywhere; {@code false}: never.
         */
        private Boolean enabled;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * {@code readiness.dependencies.*}: the application's HikariCP pools, Lettuce connection factories and
     * Resilience4j circuit breakers become readiness checks by themselves.
     */
    public static class Dependencies {

        /** Whether DataSources, Redis connection factories and circuit breakers in the context are checked. */
        private boolean enabled = true;

        /**
         * Checks of these names ({@code db}, {@code redis}, {@code circuitbreaker-billing}, or {@code *} for all)
         * take readiness DOWN when they fail. The others are degraded: readiness stays UP, the check shows DOWN in
         * verbose output and in readiness.check.degraded, and the work that needs the dependency fails on its own.
         * Empty by default: every replica shares these dependencies, and a required check on one takes every
         * replica out of the Service at once.
         */
        private java.util.List<String> required = new java.util.ArrayList<>();

        public java.util.List<String> getRequired() {
            return required;
        }

        public void setRequired(java.util.List<String> required) {
            this.required = required == null ? new java.util.ArrayList<>() : required;
        }

        /** Whether the check named {@code check} is listed in {@link #getRequired()}. */
        public boolean requires(String check) {
            for (String r : required) {
                if (r != null && (r.trim().equals("*") || r.trim().equals(check))) {
                    return true;
                }
            }
            return false;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * {@code readiness.config.*}: a ConfigMap mounted as a directory, watched and reloaded in place. Its keys
     * are a property source (above application.properties, below environment variables and system
     * properties), and {@code @ConfigurationProperties} beans are rebound all together after validation, or not
     * at all. The other keys ({@code dir}, {@code poll-interval}, ...) are readiness-core's
     * ({@link dev.readiness.core.reload.ConfigMapWatcher#KEYS}), read by {@link ReadinessSettings}.
     */
    public static class Config {

        /** Whether the directory is watched (when {@code dir} is set). */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * {@code readiness.gc.*}: the run-time side of readiness-gc-tuning. At start the advisor logs what in the JVM
     * disagrees with its container; the GC-pressure check turns liveness DOWN when the JVM spends most of its
     * time collecting, or its heap stays full after collections, for the whole window.
     */
    public static class Gc {

        /** Whether readiness-gc-tuning is wired at all (when it is on the class path). */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * {@code readiness.sessions.enabled}: the starter's switch for HTTP sessions in Redis (readiness-sessions). On
     * when {@code readiness.sessions.redis.uri} is set and readiness-sessions is on the class path; the keys of
     * the feature itself are declared by readiness-sessions' {@code SessionSettings} and read through
     * {@link ReadinessSettings}.
     */
    public static class Sessions {

        /** Whether sessions go to Redis when {@code readiness.sessions.redis.uri} is set. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
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
