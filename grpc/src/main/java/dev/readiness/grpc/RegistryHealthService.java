package dev.readiness.grpc;

import dev.readiness.core.probe.AvailabilityListener;
import dev.readiness.core.probe.CheckListener;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * {@code grpc.health.v1.Health} answered from a {@link HealthRegistry}'s latest reports, never by running a
 * check, so Kubernetes' native {@code grpc:} probes can serve all three probes:
 * service {@code ""} and {@code "readiness"} answer readiness, {@code "liveness"} and {@code "startup"} the
 * other two. Any other name answers {@code NOT_FOUND} to {@code Check} and {@code SERVICE_UNKNOWN} to
 * {@code Watch}, as the protocol says.
 * <p>
 * {@code Watch} sends the current status at once and then every change: the service listens to the registry's
 * availability changes (readiness, startup, the drain) and to every check result (liveness has no
 * availability state of its own), and compares each probe's status with the last one it sent.
 */
public final class RegistryHealthService extends HealthGrpc.HealthImplBase implements AutoCloseable {

    /** The service names served, and the probe each answers. */
    public static final Map<String, Probe> SERVICES = Map.of(
            "", Probe.READINESS, "readiness", Probe.READINESS, "liveness", Probe.LIVENESS, "startup", Probe.STARTUP);

    private final HealthRegistry registry;
    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
    private final Map<Probe, ServingStatus> last = new EnumMap<>(Probe.class);
    private final CopyOnWriteArrayList<BiConsumer<Probe, ServingStatus>> changeListeners = new CopyOnWriteArrayList<>();
    private final AvailabilityListener availabilityListener = (previous, current) -> refresh();
    private final CheckListener checkListener = (probe, check, result, took, timedOut) -> refresh();

    public RegistryHealthService(HealthRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        for (Probe p : Probe.values()) {
            last.put(p, status(p));
        }
        registry.addListener(availabilityListener);
        registry.addCheckListener(checkListener);
    }

    /** The status a probe answers now. */
    public ServingStatus status(Probe probe) {
        return registry.report(probe).isUp() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    }

    /** Told of each probe status change once, after watchers were sent it; used by metrics. Must be fast. */
    public void onChange(BiConsumer<Probe, ServingStatus> listener) {
        changeListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Open {@code Watch} streams. */
    public int watchers() {
        return watchers.size();
    }

    @Override
    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> responseObserver) {
        Probe probe = SERVICES.get(request.getService());
        if (probe == null) {
            responseObserver.onError(Status.NOT_FOUND.withDescription(unknown(request.getService()))
                    .asRuntimeException());
            return;
        }
        responseObserver.onNext(response(status(probe)));
        responseObserver.onCompleted();
    }

    @Override
    public void watch(HealthCheckRequest request, StreamObserver<HealthCheckResponse> responseObserver) {
        Probe probe = SERVICES.get(request.getService());
        ServerCallStreamObserver<HealthCheckResponse> out = (ServerCallStreamObserver<HealthCheckResponse>) responseObserver;
        if (probe == null) {
            // The protocol: keep the stream open, the service may appear later. Ours never will, but a client
            // that follows the protocol must not be told otherwise.
            out.onNext(response(ServingStatus.SERVICE_UNKNOWN));
            return;
        }
        Watcher w = new Watcher(probe, out);
        out.setOnCancelHandler(() -> watchers.remove(w));
        watchers.add(w);
        w.send(status(probe));
    }

    /** Ends every open {@code Watch} stream with {@code status}, for a server about to stop. */
    public void endWatches(Status status) {
        for (Watcher w : watchers) {
            watchers.remove(w);
            w.end(status);
        }
    }

    /** Compares every probe's status with the last one sent, and sends the changes. */
    void refresh() {
        for (Probe p : Probe.values()) {
            ServingStatus now = status(p);
            ServingStatus before;
            synchronized (last) {
                before = last.put(p, now);
            }
            if (before != now) {
                for (Watcher w : watchers) {
                    if (w.probe == p) {
                        w.send(now);
                    }
                }
                for (BiConsumer<Probe, ServingStatus> l : changeListeners) {
                    l.accept(p, now);
                }
            }
        }
    }

    @Override
    public void close() {
        registry.removeListener(availabilityListener);
        registry.removeCheckListener(checkListener);
    }

    private static String unknown(String service) {
        return "no health service '" + service + "'; served: \"\" and \"readiness\", \"liveness\", \"startup\"";
    }

    private static HealthCheckResponse response(ServingStatus s) {
        return HealthCheckResponse.newBuilder().setStatus(s).build();
    }

    /** One Watch stream; a StreamObserver is not thread-safe, so every write holds its lock. */
    private static final class Watcher {
        final Probe probe;
        final ServerCallStreamObserver<HealthCheckResponse> out;
        private ServingStatus sent;
        private boolean ended;

        Watcher(Probe probe, ServerCallStreamObserver<HealthCheckResponse> out) {
            this.probe = probe;
            this.out = out;
        }

        synchronized void send(ServingStatus s) {
            if (ended || s == sent || out.isCancelled()) {
                return;
            }
            sent = s;
            out.onNext(response(s));
        }

        synchronized void end(Status status) {
            if (ended) {
                return;
            }
            ended = true;
            if (!out.isCancelled()) {
                out.onError(status.asRuntimeException());
            }
        }
    }
}
