package dev.readiness.spring.boot.autoconfigure.management;

import dev.readiness.health.management.ManagementHandler;

import java.util.Objects;

/**
 * An extra endpoint of readiness' management server, declared as a bean: served at exactly {@code path}
 * beside {@code /livez}, {@code /readyz} and {@code /startupz}. The starter declares {@code /metrics} this way
 * when a Prometheus registry is in the context.
 *
 * @param path    an absolute path such as {@code /drainz}
 * @param handler answers GET and HEAD requests
 */
public record ManagementEndpoint(String path, ManagementHandler handler) {

    public ManagementEndpoint {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(handler, "handler");
    }
}
