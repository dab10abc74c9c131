package dev.readiness.spring.boot.autoconfigure.scaling;

import dev.readiness.core.drain.InFlightTracker;
import dev.readiness.health.saturation.ConcurrencySaturation;
import dev.readiness.health.saturation.Saturation;
import dev.readiness.health.saturation.SaturationSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The application server's saturation, found once the server runs ({@link WebServerSaturation} reports a web
 * server, {@link GrpcServerSaturation} a gRPC server): requests or calls in flight over
 * {@code readiness.saturation.concurrency-target} when it is set; else Tomcat's or Jetty's worker pool; else none,
 * with one WARN naming the key to set. NaN until found. Free of Spring's web-server types, so an
 * application without a web server loads it too.
 */
final class ServerSaturation implements Saturation {

    private static final Logger log = LoggerFactory.getLogger(ServerSaturation.class);

    private final SaturationSettings settings;
    private final InFlightTracker tracker;
    private final List<Consumer<Saturation>> onFound = new CopyOnWriteArrayList<>();
    private volatile Saturation found;
    private volatile int port = -1;
    private boolean decided;

    ServerSaturation(SaturationSettings settings, InFlightTracker tracker) {
        this.settings = settings;
        this.tracker = tracker;
    }

    /**
     * The application's web server started on {@code port}; {@code pool} is its worker pool's saturation when it has
     * one this module can read. Only the first web server counts, and it is the source unless a gRPC server was
     * reported first; its port is recorded either way (the HTTP warm-up's).
     */
    synchronized void serverStarted(String server, int port, Optional<Saturation> pool) {
        if (this.port != -1) {
            return;
        }
        this.port = port;
        if (decided) {
            return;
        }
        decide(settings.choose(server, target -> ConcurrencySaturation.of(tracker, target), pool, log::warn));
    }

    /**
     * A gRPC server of the application started: the source when no web server was reported before it (Spring starts
     * web servers in an earlier phase than gRPC servers, so an application with both is read from its web server).
     * {@code inFlight} makes the source of the calls in flight over the concurrency target; the port is not
     * recorded, as it is not one for HTTP warm-up.
     */
    synchronized void grpcServerStarted(IntFunction<Saturation> inFlight) {
        if (this.port != -1 || decided) {
            return;
        }
        decide(settings.choose("gRPC server", inFlight, Optional.empty(), log::warn));
    }

    private void decide(Optional<Saturation> source) {
        decided = true;
        if (source.isEmpty()) {
            return;
        }
        found = source.get();
        log.info("readiness.saturation from {}", found);
        onFound.forEach(c -> c.accept(found));
    }

    /** Calls {@code consumer} with the source once it is found (at once when it already is). */
    void whenFound(Consumer<Saturation> consumer) {
        onFound.add(consumer);
        Saturation s = found;
        if (s != null) {
            consumer.accept(s);
        }
    }

    /** The source found, if any yet. */
    Optional<Saturation> found() {
        return Optional.ofNullable(found);
    }

    /** The tracker the concurrency target divides: the drain's, or one of this source's own. */
    InFlightTracker tracker() {
        return tracker;
    }

    /** The application server's port, -1 before it started. */
    int port() {
        return port;
    }

    @Override
    public double value() {
        Saturation s = found;
        return s == null ? Double.NaN : s.value();
    }

    @Override
    public String source() {
        Saturation s = found;
        return s == null ? "none" : s.source();
    }

    @Override
    public String toString() {
        return "ServerSaturation[" + found + "]";
    }
}
