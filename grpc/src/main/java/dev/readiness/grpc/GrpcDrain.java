package dev.readiness.grpc;

import dev.readiness.core.drain.DrainableServer;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.drain.InFlightTracker;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Drain adapter for a grpc-java {@link Server}, fed by an interceptor that counts every application call
 * (unary and streaming) on the drain's tracker. {@link #stopAccepting()} calls {@link Server#shutdown()}:
 * the listening socket closes and each connection is sent a graceful GOAWAY (grpc-java's Netty transport sends
 * one with the largest stream id first, then the real one after a PING round trip), so clients move new calls
 * elsewhere while calls already running go on. {@link #stop()}, after in-flight calls finished or the drain
 * timeout passed, closes every call still open with {@code UNAVAILABLE} and a description that says why, ends
 * the health {@code Watch} streams the same way, and stops the server.
 */
public final class GrpcDrain implements DrainableServer {

    private final Server server;
    private final Interceptor interceptor;
    private final RegistryHealthService health;
    private final String timeoutText;

    private GrpcDrain(Server server, Interceptor interceptor, RegistryHealthService health, String timeoutText) {
        this.server = server;
        this.interceptor = interceptor;
        this.health = health;
        this.timeoutText = timeoutText;
    }

    /** An interceptor feeding {@code drain}'s tracker; add it to the server builder with {@code intercept(...)}. */
    public static ServerInterceptor interceptor(GracefulDrain drain) {
        return new Interceptor(drain.tracker());
    }

    /**
     * Adds the drain of {@code server} to {@code drain}.
     *
     * @param interceptor the one {@link #interceptor(GracefulDrain)} returned and the server was built with
     * @param health      the health service whose Watch streams end at stop; may be null
     * @throws IllegalArgumentException when {@code interceptor} is not one of ours
     */
    public static GrpcDrain install(Server server, ServerInterceptor interceptor, RegistryHealthService health,
                                    GracefulDrain drain) {
        if (!(interceptor instanceof Interceptor i)) {
            throw new IllegalArgumentException("interceptor must come from GrpcDrain.interceptor(drain)");
        }
        GrpcDrain d = new GrpcDrain(Objects.requireNonNull(server, "server"), i, health,
                drain.settings().timeout().toString());
        drain.server(d);
        return d;
    }

    @Override
    public String name() {
        return "grpc";
    }

    @Override
    public void stopAccepting() {
        server.shutdown();
    }

    @Override
    public void stop() throws InterruptedException {
        Status why = Status.UNAVAILABLE.withDescription("server draining: the drain timeout " + timeoutText
                + " passed; retry on another server");
        for (Call<?, ?> c : interceptor.open) {
            c.closeQuietly(why);
        }
        if (health != null) {
            health.endWatches(Status.UNAVAILABLE.withDescription("server stopping"));
        }
        if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
            server.shutdownNow();
            server.awaitTermination(2, TimeUnit.SECONDS);
        }
    }

    /** Calls open now, unary and streaming. */
    public int openCalls() {
        return interceptor.open.size();
    }

    private static final class Interceptor implements ServerInterceptor {
        final InFlightTracker tracker;
        final Set<Call<?, ?>> open = ConcurrentHashMap.newKeySet();

        Interceptor(InFlightTracker tracker) {
            this.tracker = tracker;
        }

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                           ServerCallHandler<Q, R> next) {
            if (call.getMethodDescriptor().getServiceName().equals("grpc.health.v1.Health")) {
                return next.startCall(call, headers); // probes and Watch streams are no work to wait for
            }
            Call<Q, R> c = new Call<>(call, tracker.begin(), open);
            open.add(c);
            ServerCall.Listener<Q> delegate;
            try {
                delegate = next.startCall(c, headers);
            } catch (RuntimeException e) {
                c.done();
                throw e;
            }
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
                @Override
                public void onComplete() {
                    c.done();
                    super.onComplete();
                }

                @Override
                public void onCancel() {
                    c.done();
                    super.onCancel();
                }
            };
        }
    }

    /** A call whose writes hold its lock, so the drain thread may close it while the application writes. */
    private static final class Call<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private final InFlightTracker.Request request;
        private final Set<Call<?, ?>> open;
        private boolean closed;

        Call(ServerCall<Q, R> delegate, InFlightTracker.Request request, Set<Call<?, ?>> open) {
            super(delegate);
            this.request = request;
            this.open = open;
        }

        void done() {
            open.remove(this);
            request.end();
        }

        @Override
        public synchronized void sendHeaders(Metadata headers) {
            if (!closed) {
                super.sendHeaders(headers);
            }
        }

        @Override
        public synchronized void sendMessage(R message) {
            if (closed) {
                throw Status.UNAVAILABLE.withDescription("call closed by the drain").asRuntimeException();
            }
            super.sendMessage(message);
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (!closed) {
                closed = true;
                super.close(status, trailers);
            }
        }

        synchronized void closeQuietly(Status status) {
            if (!closed) {
                closed = true;
                try {
                    super.close(status, new Metadata());
                } catch (RuntimeException ignored) {
                    // already cancelled by the client: nothing left to tell it
                }
            }
        }
    }
}
