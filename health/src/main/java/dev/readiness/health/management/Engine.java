package dev.readiness.health.management;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP server under {@link ManagementServer}: it parses requests, asks {@link Router} for the answer and writes
 * it. Two exist: {@link JettyEngine} (bounded; used when Jetty 12 is on the class path) and {@link JdkEngine}
 * (the JDK's {@code com.sun.net.httpserver}, always there). Jetty's classes are touched only through
 * {@link JettyEngine}, and only once they are known to be present, so the server works without them.
 */
interface Engine extends AutoCloseable {

    /** Which engine to start. */
    enum Kind { AUTO, JETTY, JDK }

    /** The engine's settings, validated by the builder. */
    record Settings(InetSocketAddress address, int threads, int maxConnections, Duration requestTimeout) {
    }

    /**
     * What to answer.
     *
     * @param allow whether to add {@code Allow: GET, HEAD} (a 405)
     */
    record Answer(int status, String contentType, byte[] body, boolean allow) {
    }

    /** Computes the answer to a request from its method, raw path and raw query (null when none). */
    @FunctionalInterface
    interface Router {
        Answer answer(String method, String rawPath, String rawQuery);
    }

    InetSocketAddress address();

    /** {@code jetty} or {@code jdk}. */
    String name();

    /** Connections open now, or -1 when the engine does not count them. */
    default int openConnections() {
        return -1;
    }

    /** Stops listening and stops the engine's threads. */
    @Override
    void close();

    /**
     * Starts the engine {@code kind} asks for; {@link Kind#AUTO} is Jetty when its classes load, else the JDK's.
     * Logs the choice the first time a server starts in this JVM.
     *
     * @param where host:port as configured, for error messages
     * @throws IllegalStateException when the port cannot be bound
     */
    static Engine start(Kind kind, Settings settings, Router router, String where) {
        if (kind == Kind.JDK || (kind == Kind.AUTO && !Choice.JETTY_PRESENT)) {
            Choice.logOnce(false, settings);
            return JdkEngine.start(settings, router, where);
        }
        Choice.logOnce(true, settings);
        return JettyEngine.start(settings, router, where);
    }

    /** Whether Jetty 12 is present, found once; and the one log line saying which engine serves. */
    final class Choice {
        private static final Logger log = LoggerFactory.getLogger(ManagementServer.class);
        private static final AtomicBoolean LOGGED = new AtomicBoolean();
        /** Jetty 12's core API: {@code Request.Handler} exists in no earlier Jetty, and jetty-io is needed too. */
        static final boolean JETTY_PRESENT = present("org.eclipse.jetty.server.Request$Handler")
                && present("org.eclipse.jetty.server.ServerConnector") && present("org.eclipse.jetty.io.Connection$Listener");

        private Choice() {
        }

        private static boolean present(String name) {
            try {
                Class.forName(name, false, Engine.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }

        static void logOnce(boolean jetty, Settings s) {
            if (!LOGGED.compareAndSet(false, true)) {
                return;
            }
            if (jetty) {
                log.info("management server: Jetty 12 parses requests (request head at most {} bytes and {} ms,"
                                + " at most {} connections, the one idle the longest closed first)",
                        ManagementServer.MAX_REQUEST_HEAD_BYTES, s.requestTimeout().toMillis(), s.maxConnections());
            } else if (!JETTY_PRESENT) {
                log.info("management server: the JDK's com.sun.net.httpserver parses requests, because Jetty 12"
                        + " (org.eclipse.jetty:jetty-server) is not on the class path. Slow or idle clients can delay"
                        + " probes by up to sun.net.httpserver.maxReqTime ({} s); add jetty-server 12 to bound"
                        + " every connection", System.getProperty("sun.net.httpserver.maxReqTime"));
            } else {
                log.info("management server: the JDK's com.sun.net.httpserver parses requests (chosen explicitly)");
            }
        }
    }
}
