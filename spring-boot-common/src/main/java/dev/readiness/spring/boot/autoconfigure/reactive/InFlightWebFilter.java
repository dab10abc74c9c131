package dev.readiness.spring.boot.autoconfigure.reactive;

import dev.readiness.core.drain.InFlightTracker;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.Objects;

/**
 * The reactive twin of readiness-health's servlet {@code InFlightFilter}, for WebFlux applications: counts every
 * exchange from the moment it reaches the filter chain until its handling (the response written) completes, errors
 * or is cancelled (a client that went away), so the drain waits for it and the concurrency-target saturation sees
 * it. Once the drain stopped accepting, a response not committed yet gets {@code Connection: close}, so kept-alive
 * connections close after their last response. First in the chain ({@link Ordered#HIGHEST_PRECEDENCE}).
 */
public final class InFlightWebFilter implements WebFilter, Ordered {

    private final InFlightTracker tracker;

    public InFlightWebFilter(InFlightTracker tracker) {
        this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        InFlightTracker.Request request = tracker.begin();
        exchange.getResponse().beforeCommit(() -> {
            if (tracker.closeConnections()) {
                exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
            }
            return Mono.empty();
        });
        Mono<Void> handled;
        try {
            handled = chain.filter(exchange);
        } catch (RuntimeException | Error e) {
            request.end();
            throw e;
        }
        return handled.doFinally(signal -> request.end());
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public String toString() {
        return "InFlightWebFilter[" + tracker.inFlight() + " in flight]";
    }
}
