package dev.readiness.health.jetty;

import dev.readiness.core.drain.InFlightTracker;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Jetty 12 handler that counts every request from its arrival until its callback completes, and makes the
 * response carry {@code Connection: close} when it is committed after the drain stopped accepting (so a request
 * that began before the drain still closes its connection). Wrap the server's handler with it; {@link JettyDrain}
 * does that for you.
 */
public final class InFlightHandler extends Handler.Wrapper {

    private final InFlightTracker tracker;
    private final ConcurrentHashMap<Connection, AtomicInteger> busy = new ConcurrentHashMap<>();

    public InFlightHandler(InFlightTracker tracker, Handler handler) {
        super(handler);
        this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    public InFlightTracker tracker() {
        return tracker;
    }

    /** Connections with a request in flight now. */
    Set<Connection> busyConnections() {
        return busy.keySet();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        InFlightTracker.Request r = tracker.begin();
        Connection connection = request.getConnectionMetaData().getConnection();
        busy.computeIfAbsent(connection, c -> new AtomicInteger()).incrementAndGet();
        Runnable end = () -> {
            busy.computeIfPresent(connection, (c, n) -> n.decrementAndGet() <= 0 ? null : n);
            r.end();
        };
        if (tracker.closeConnections()) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        Callback tracked = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                // A response completed without a write commits here: it still has to say close.
                if (tracker.closeConnections() && !response.isCommitted()) {
                    response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
                }
                try {
                    super.succeeded();
                } finally {
                    end.run();
                }
            }

            @Override
            public void failed(Throwable x) {
                try {
                    super.failed(x);
                } finally {
                    end.run();
                }
            }
        };
        boolean handled;
        try {
            handled = super.handle(request, new ClosingResponse(request, response), tracked);
        } catch (Throwable t) {
            end.run();
            throw t;
        }
        if (!handled) {
            end.run();
        }
        return handled;
    }

    /** Adds {@code Connection: close} at commit when the drain stopped accepting meanwhile. */
    private final class ClosingResponse extends Response.Wrapper {
        ClosingResponse(Request request, Response wrapped) {
            super(request, wrapped);
        }

        @Override
        public void write(boolean last, ByteBuffer byteBuffer, Callback callback) {
            if (tracker.closeConnections() && !isCommitted()) {
                getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            }
            super.write(last, byteBuffer, callback);
        }
    }
}
