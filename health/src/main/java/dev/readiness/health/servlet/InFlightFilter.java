package dev.readiness.health.servlet;

import dev.readiness.core.drain.InFlightTracker;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Objects;

/**
 * Counts every servlet request from its arrival until its response is complete, including asynchronous ones
 * (until the async context completes, errors or times out). Once the drain stopped accepting, a response that
 * is not committed yet gets {@code Connection: close}, so keep-alive connections close after their last
 * response. Map it first, to {@code /*}, for every dispatcher type REQUEST.
 */
public final class InFlightFilter implements Filter {

    private final InFlightTracker tracker;

    public InFlightFilter(InFlightTracker tracker) {
        this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        InFlightTracker.Request r = tracker.begin();
        EndOnCompletion listener = new EndOnCompletion(r);
        boolean async = false;
        try {
            ServletResponse res = response;
            ServletRequest req = request;
            if (response instanceof HttpServletResponse http && request instanceof HttpServletRequest httpReq) {
                Closing closing = new Closing(http);
                res = closing;
                req = new Tracking(httpReq, listener);
                if (tracker.closeConnections()) {
                    closing.markClose();
                }
            }
            chain.doFilter(req, res);
            if (request.isAsyncStarted()) {
                async = true;
                if (!listener.attached) {
                    // Started on the unwrapped request: attach now (a completion in between is missed, and the
                    // request then counts until the drain timeout).
                    request.getAsyncContext().addListener(listener);
                }
            } else if (res instanceof Closing closing && tracker.closeConnections()) {
                closing.markClose(); // a response without a body commits after this filter returns
            }
        } finally {
            if (!async) {
                r.end();
            }
        }
    }

    /** Ends the request when its async context completes, errors or times out. */
    private static final class EndOnCompletion implements AsyncListener {
        private final InFlightTracker.Request request;
        private volatile boolean attached;

        EndOnCompletion(InFlightTracker.Request request) {
            this.request = request;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            request.end();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            request.end();
        }

        @Override
        public void onError(AsyncEvent event) {
            request.end();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }

    /** Attaches the listener the moment async starts, before the application can complete it elsewhere. */
    private static final class Tracking extends HttpServletRequestWrapper {
        private final EndOnCompletion listener;

        Tracking(HttpServletRequest request, EndOnCompletion listener) {
            super(request);
            this.listener = listener;
        }

        @Override
        public AsyncContext startAsync() {
            return attach(super.startAsync());
        }

        @Override
        public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
            return attach(super.startAsync(request, response));
        }

        private AsyncContext attach(AsyncContext ctx) {
            if (!listener.attached) {
                listener.attached = true;
                ctx.addListener(listener);
            }
            return ctx;
        }
    }

    /** Sets {@code Connection: close} before the response commits, when the drain stopped accepting. */
    private final class Closing extends HttpServletResponseWrapper {
        Closing(HttpServletResponse response) {
            super(response);
        }

        void markClose() {
            HttpServletResponse r = (HttpServletResponse) getResponse();
            if (!r.isCommitted()) {
                r.setHeader("Connection", "close");
            }
        }

        private void beforeCommit() {
            if (tracker.closeConnections()) {
                markClose();
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            beforeCommit();
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            beforeCommit();
            return super.getWriter();
        }

        @Override
        public void flushBuffer() throws IOException {
            beforeCommit();
            super.flushBuffer();
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            beforeCommit();
            super.sendError(sc, msg);
        }

        @Override
        public void sendError(int sc) throws IOException {
            beforeCommit();
            super.sendError(sc);
        }

        @Override
        public void sendRedirect(String location) throws IOException {
            beforeCommit();
            super.sendRedirect(location);
        }
    }
}
