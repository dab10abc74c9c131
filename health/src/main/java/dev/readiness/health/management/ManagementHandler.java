package dev.readiness.health.management;

import java.net.URI;

/**
 * An extra endpoint on the management server (the drain or reload status, metrics). Called for GET and HEAD
 * only; the server answers other methods with 405. Runs on the server's small thread pool, so it must answer
 * from state it already has: a handler that blocks slows every probe.
 */
@FunctionalInterface
public interface ManagementHandler {

    /**
     * @param uri the request URI (path and query)
     * @return the response; an exception is answered with 500 and logged
     */
    ManagementResponse handle(URI uri) throws Exception;
}
