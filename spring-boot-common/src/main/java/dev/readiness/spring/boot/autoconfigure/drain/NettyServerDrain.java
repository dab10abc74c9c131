package dev.readiness.spring.boot.autoconfigure.drain;

import dev.readiness.core.drain.DrainableServer;
import dev.readiness.spring.boot.autoconfigure.BootGeneration;
import dev.readiness.spring.boot.autoconfigure.reactive.ReactorNettyServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;

/**
 * Stops Spring Boot's Reactor Netty server (WebFlux) from accepting: closes its listening channel, and only that;
 * connections already open are served until they end, each response of the drain with {@code Connection: close}
 * ({@code InFlightWebFilter}). Stopping the server is left to Spring Boot, after the drain. Where Boot's server
 * cannot be read ({@link ReactorNettyServer}), one WARN says so and the socket stays open until Boot's own shutdown
 * (the in-flight requests are still awaited).
 */
final class NettyServerDrain implements DrainableServer {

    private static final Logger log = LoggerFactory.getLogger(NettyServerDrain.class);
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final ApplicationContext context;

    NettyServerDrain(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "netty";
    }

    @Override
    public void stopAccepting() {
        Object server = BootGeneration.current().webServer(context);
        if (!ReactorNettyServer.is(server)) {
            return;
        }
        try {
            ReactorNettyServer netty = ReactorNettyServer.of(server);
            if (netty != null) {
                netty.close(CLOSE_WAIT_MILLIS);
                log.info("readiness: Reactor Netty's listening socket {} closed; open connections are served until"
                        + " they end", netty);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("readiness: cannot close the listening socket of {} ({}): it accepts until Spring Boot stops it"
                    + " after the drain; requests in flight are still awaited", server.getClass().getName(), e.toString());
        }
    }
}
