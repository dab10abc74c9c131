package dev.readiness.spring.boot.autoconfigure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import java.util.ArrayList;
import java.util.List;

/**
 * One INFO line at start for each readiness module that is not on the class path, naming what the application
 * goes without and the artifact to add, so that an application built on the auto-configuration alone (or on a
 * few modules) learns what it lacks from its own log rather than from a probe that is not there.
 */
final class MissingModules implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(MissingModules.class);

    private final ClassLoader classLoader;
    private final Environment environment;

    MissingModules(ClassLoader classLoader, Environment environment) {
        this.classLoader = classLoader;
        this.environment = environment;
    }

    @Override
    public void afterSingletonsInstantiated() {
        lines().forEach(log::info);
    }

    /** The lines {@link #afterSingletonsInstantiated()} logs, in module order; empty when nothing is missing. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        if (absent("dev.readiness.health.management.ManagementServer")) {
            lines.add(missing("readiness-health", "no management server (/livez, /readyz, /startupz and /metrics on "
                    + "readiness.management.port), no checks of the DataSource, Redis or circuit breakers, and no drain "
                    + "of the embedded web server on SIGTERM"));
        }
        if (absent("jakarta.servlet.http.HttpSession")) {
            // no servlet container, no HTTP sessions to keep anywhere
        } else if (absent("dev.readiness.sessions.servlet.SessionFilter")) {
            lines.add(missing("readiness-sessions", "HTTP sessions stay in this instance's servlet container"));
        } else if (!environment.containsProperty("readiness.sessions.redis.uri")) {
            lines.add("readiness: HTTP sessions stay in this instance's servlet container: set "
                    + "readiness.sessions.redis.uri (READINESS_SESSIONS_REDIS_URI) to keep them in Redis");
        }
        if (absent("dev.readiness.gc.runtime.GcPressureCheck")) {
            lines.add(missing("readiness-gc-tuning", "no GC-pressure liveness check and no GC advice at start"));
        }
        if (absent("org.springframework.grpc.server.ServerBuilderCustomizer")) {
            // no Spring gRPC server to answer health on
        } else if (absent("dev.readiness.grpc.RegistryHealthService")) {
            lines.add(missing("readiness-grpc", "Spring gRPC servers answer grpc.health.v1.Health from Spring's own "
                    + "health service (not from readiness' probes) and are not drained on SIGTERM"));
        } else if (absent("io.grpc.health.v1.HealthGrpc")) {
            lines.add("readiness: io.grpc:grpc-services is not on the class path: Spring gRPC servers serve no "
                    + "grpc.health.v1.Health, so the kubelet's grpc: probes fail, and readiness does not wire them "
                    + "(health, drain, connection age). Add io.grpc:grpc-services");
        }
        return lines;
    }

    private static String missing(String artifact, String without) {
        return "readiness: " + artifact + " is not on the class path: " + without + ". Add dev.readiness:" + artifact
                + ", or depend on dev.readiness:" + BootGeneration.current().starter() + " for all of readiness";
    }

    private boolean absent(String className) {
        return !ClassUtils.isPresent(className, classLoader);
    }
}
