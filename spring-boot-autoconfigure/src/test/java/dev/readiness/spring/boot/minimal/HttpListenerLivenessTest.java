package dev.readiness.spring.boot.minimal;

import dev.readiness.health.management.ManagementServer;
import dev.readiness.testkit.http.NoRetryHttpClient;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The brand-new application with only the starter, on a real Tomcat and a real Jetty: its application port's
 * listening socket closed behind the server's back (what Spring Boot issue #41630 saw: the application port dead,
 * the management port UP for hours). {@code /livez} on the management port turns 503 naming the listener, from the
 * server's state; nothing in the application registers the check.
 */
class HttpListenerLivenessTest {

    private final NoRetryHttpClient http = new NoRetryHttpClient(Duration.ofSeconds(5), false);

    private static ConfigurableApplicationContext start(String server) {
        // Both servers are on this build's class path; the Tomcat run leaves Jetty's factory out.
        String exclude = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                + "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration"
                + (server.equals("jetty") ? ""
                : ",org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration");
        return new SpringApplicationBuilder(MinimalApplication.class).properties(
                "minimal.server=" + server, "spring.autoconfigure.exclude=" + exclude,
                "server.port=0", "server.address=127.0.0.1",
                "readiness.management.port=0", "readiness.management.host=127.0.0.1",
                "readiness.management.details=true", "readiness.sessions.enabled=false",
                "logging.level.root=WARN", "spring.main.banner-mode=off").run();
    }

    @Test
    void tomcatsListenerLostBehindItsBackTurnsLivenessDown() throws Exception {
        try (ConfigurableApplicationContext context = start("tomcat")) {
            WebServer server = ((WebServerApplicationContext) context).getWebServer();
            assertThat(server).isInstanceOf(TomcatWebServer.class);
            int management = context.getBean(ManagementServer.class).port();
            int port = server.getPort();
            awaitLiveness(management, 200, "\"listening\":1"); // UP and reading the running server, not "not started yet"

            Connector connector = ((TomcatWebServer) server).getTomcat().getConnector();
            Method endpoint = AbstractProtocol.class.getDeclaredMethod("getEndpoint");
            endpoint.setAccessible(true);
            Object nio = endpoint.invoke(connector.getProtocolHandler());
            Method socket = nio.getClass().getDeclaredMethod("getServerSocket");
            socket.setAccessible(true);
            ((NetworkChannel) socket.invoke(nio)).close();

            assertRefused(port);
            awaitLiveness(management, 503, "\"http-listener\":{\"status\":\"DOWN\"");
        }
    }

    @Test
    void jettysListenerLostBehindItsBackTurnsLivenessDown() throws Exception {
        try (ConfigurableApplicationContext context = start("jetty")) {
            WebServer server = ((WebServerApplicationContext) context).getWebServer();
            assertThat(server).isInstanceOf(JettyWebServer.class);
            int management = context.getBean(ManagementServer.class).port();
            int port = server.getPort();
            awaitLiveness(management, 200, "\"listening\":1"); // UP and reading the running server, not "not started yet"

            for (var c : ((JettyWebServer) server).getServer().getConnectors()) {
                if (c instanceof ServerConnector sc) {
                    ((ServerSocketChannel) sc.getTransport()).close();
                }
            }

            assertRefused(port);
            awaitLiveness(management, 503, "\"http-listener\":{\"status\":\"DOWN\"");
        }
    }

    @Test
    void reactorNettysListenerLostBehindItsBackTurnsLivenessDown() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ReactiveApplication.class)
                .web(org.springframework.boot.WebApplicationType.REACTIVE).properties(
                        "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                                + "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
                                // Tomcat and Jetty serve reactive applications too; this one runs on Reactor Netty
                                + "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration,"
                                + "org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration",
                        "server.port=0", "server.address=127.0.0.1", "readiness.management.port=0",
                        "readiness.management.host=127.0.0.1", "readiness.management.details=true",
                        "logging.level.root=WARN", "spring.main.banner-mode=off").run()) {
            WebServer server = ((WebServerApplicationContext) context).getWebServer();
            assertThat(server.getClass().getSimpleName()).isEqualTo("NettyWebServer");
            int management = context.getBean(ManagementServer.class).port();
            int port = server.getPort();
            assertThat(http.get(port, "/", Duration.ofSeconds(5)).status()).isEqualTo(200);
            awaitLiveness(management, 200, "\"listening\":1");

            java.lang.reflect.Field f = server.getClass().getDeclaredField("disposableServer");
            f.setAccessible(true);
            ((reactor.netty.DisposableServer) f.get(server)).channel().close().sync();

            assertRefused(port);
            awaitLiveness(management, 503, "\"http-listener\":{\"status\":\"DOWN\"");
            assertThat(http.get(management, "/livez?verbose", Duration.ofSeconds(5)).text())
                    .contains("the listening socket of Reactor Netty");
        }
    }

    /** A WebFlux application: one route, and the starter. */
    @org.springframework.boot.SpringBootConfiguration
    @org.springframework.boot.autoconfigure.EnableAutoConfiguration
    static class ReactiveApplication {
        @org.springframework.context.annotation.Bean
        org.springframework.web.reactive.function.server.RouterFunction<?> hello() {
            return org.springframework.web.reactive.function.server.RouterFunctions.route()
                    .GET("/", r -> org.springframework.web.reactive.function.server.ServerResponse.ok()
                            .bodyValue("hello")).build();
        }
    }

    private void awaitLiveness(int port, int status, String text) {
        String[] last = {"no answer"};
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                NoRetryHttpClient.Response r = http.get(port, "/livez?verbose", Duration.ofSeconds(5));
                last[0] = r.status() + " " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
                return r.status() == status && last[0].contains(text);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("/livez?verbose never answered " + status + " with '" + text + "'; last: "
                    + last[0], e);
        }
    }

    /** Refused from outside; the kernel's socket goes once the thread blocked in accept() has been woken. */
    private static void assertRefused(int port) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThatThrownBy(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                    }
                }).isInstanceOf(ConnectException.class));
    }
}
