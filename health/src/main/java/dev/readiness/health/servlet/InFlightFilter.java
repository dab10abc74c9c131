package dev.readiness.health.servlet;

import dev.readiness.core.drain.InFlightTracker;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
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
        boolean async = false;
        try {
            ServletResponse res = response instanceof HttpServletResponse http ? new Closing(http) : response;
            if (tracker.closeConnections() && res instanceof Closing c) {
                c.markClose();
            }
            chain.doFilter(request, res);
            if (request.isAsyncStarted()) {
                async = true;
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        r.end();
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                        r.end();
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                        r.end();
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                        event.getAsyncContext().addListener(this);
                    }
                });
            }
        } finally {
            if (!async) {
                r.end();
            }
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
