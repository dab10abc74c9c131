package dev.readiness.health.tomcat;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.Status;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.probe.HealthRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.AbstractProtocol;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.net.Acceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.NetworkChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real embedded Tomcat whose listener is broken behind its back, each way a production one dies, and each time
 * proven dead from outside (refused, or never answered) before the check is asked.
 */
class TomcatListenerCheckTest {

    @TempDir
    Path base;
    private Tomcat tomcat;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private TomcatListenerCheck check;

    @BeforeEach
    void create() {
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.getConnector().setProperty("bindOnInit", "false");
        Context ctx = tomcat.addContext("", null);
        Tomcat.addServlet(ctx, "app", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().write("ok");
            }
        });
        ctx.addServletMappingDecoded("/", "app");
        check = new TomcatListenerCheck(() -> List.of(tomcat.getService().findConnectors()), stopping::get);
    }

    @AfterEach
    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    private int port() {
        return tomcat.getConnector().getLocalPort();
    }

    @Test
    void upBeforeTheServerStartsAndWhileItServes() throws Exception {
        assertThat(check.check().status()).isEqualTo(Status.UP);
        assertThat(check.check().message()).contains("not started yet");
        tomcat.start();
        assertThat(get(port())).contains("ok");
        CheckResult r = check.check();
        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.details()).containsEntry("listening", 1).doesNotContainKey("socket and acceptor");
    }

    @Test
    void downWhenTheListeningSocketIsClosedBehindTomcatsBack() throws Exception {
        tomcat.start();
        int port = port();
        assertThat(check.check().status()).isEqualTo(Status.UP);
        serverSocket(tomcat.getConnector()).close();
        // refused once the thread blocked in accept() has been woken and the kernel's socket is gone
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .pollInterval(java.time.Duration.ofMillis(50)).untilAsserted(() ->
                        assertThatThrownBy(() -> get(port)).isInstanceOf(ConnectException.class));
        CheckResult r = check.check();
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).contains("127.0.0.1:" + port).contains("no longer listens");
        // closed before a check's first evaluation (its port no longer readable): DOWN too, never "not started"
        TomcatListenerCheck firstAskedNow = new TomcatListenerCheck(
                () -> List.of(tomcat.getService().findConnectors()), stopping::get);
        assertThat(firstAskedNow.check().status()).isEqualTo(Status.DOWN);
        assertThat(firstAskedNow.check().message()).contains("no longer listens");
    }

    @Test
    void downWhenTheAcceptorThreadEnded() throws Exception {
        tomcat.start();
        int port = port();
        assertThat(get(port)).contains("ok");
        // What an Error thrown in the acceptor leaves behind: its loop asked to end, the endpoint still running.
        Acceptor<?> acceptor = acceptor(tomcat.getConnector());
        Thread ending = new Thread(() -> acceptor.stopMillis(10_000), "end-acceptor");
        ending.setDaemon(true);
        ending.start();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            try (Socket unblock = new Socket("127.0.0.1", port)) { // wakes the blocked accept() so the loop ends
                return acceptor.getState() == Acceptor.AcceptorState.ENDED;
            }
        });
        // The socket is still open: the connection is queued in the backlog and nothing ever answers it.
        assertThatThrownBy(() -> get(port)).isInstanceOf(SocketTimeoutException.class);
        CheckResult r = check.check();
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).contains("acceptor thread ended");
    }

    @Test
    void downWhenTheConnectorStoppedWithoutADrain() throws Exception {
        tomcat.start();
        int port = port();
        TomcatListenerCheck neverAsked = new TomcatListenerCheck(() -> List.of(tomcat.getService().findConnectors()),
                stopping::get);
        assertThat(check.check().status()).isEqualTo(Status.UP);
        tomcat.getConnector().stop();
        assertThatThrownBy(() -> get(port)).isInstanceOf(ConnectException.class);
        // Stopped between two checks, before the first one even: still seen as a connector that had started.
        assertThat(neverAsked.check().status()).isEqualTo(Status.DOWN);
        CheckResult r = check.check();
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).contains(":" + port).contains("STOPPED after it had started");
    }

    @Test
    void aPausedConnectorIsBusyNotDead() throws Exception {
        tomcat.start();
        tomcat.getConnector().pause();
        assertThat(check.check().status()).isEqualTo(Status.UP);
    }

    @Test
    void upOnceTheApplicationStopsOnPurpose() throws Exception {
        tomcat.start();
        stopping.set(true);
        tomcat.getConnector().stop();
        CheckResult r = check.check();
        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.message()).contains("stopping on purpose");
    }

    @Test
    void followsTheDrainWhenBuiltFromIt() throws Exception {
        HealthRegistry registry = HealthRegistry.create();
        GracefulDrain drain = GracefulDrain.builder(registry).build();
        TomcatListenerCheck fromDrain = TomcatListenerCheck.of(tomcat, drain);
        tomcat.start();
        assertThat(fromDrain.check().status()).isEqualTo(Status.UP);
        tomcat.getConnector().stop();
        assertThat(fromDrain.check().status()).isEqualTo(Status.DOWN);
        Thread draining = new Thread(drain::drain, "drain");
        draining.setDaemon(true);
        draining.start();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> drain.phase() != dev.readiness.core.drain.DrainPhase.SERVING);
        assertThat(fromDrain.check().status()).isEqualTo(Status.UP);
    }

    private static String get(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(1_500);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static AbstractEndpoint<?, ?> endpoint(Connector c) throws Exception {
        Method m = AbstractProtocol.class.getDeclaredMethod("getEndpoint");
        m.setAccessible(true);
        return (AbstractEndpoint<?, ?>) m.invoke(c.getProtocolHandler());
    }

    private static NetworkChannel serverSocket(Connector c) throws Exception {
        AbstractEndpoint<?, ?> e = endpoint(c);
        Method m = e.getClass().getDeclaredMethod("getServerSocket");
        m.setAccessible(true);
        return (NetworkChannel) m.invoke(e);
    }

    private static Acceptor<?> acceptor(Connector c) throws Exception {
        Field f = AbstractEndpoint.class.getDeclaredField("acceptor");
        f.setAccessible(true);
        return (Acceptor<?>) f.get(endpoint(c));
    }
}
