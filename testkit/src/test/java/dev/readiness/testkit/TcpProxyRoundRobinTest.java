package dev.readiness.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Upstreams added to a {@link TcpProxy} share the connections opened after, one upstream per connection. */
class TcpProxyRoundRobinTest {

    private final List<ServerSocket> upstreams = new ArrayList<>();
    private TcpProxy proxy;

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        for (ServerSocket s : upstreams) {
            s.close();
        }
    }

    @Test
    void connectionsOpenedAfterAnUpstreamIsAddedAreSpreadRoundRobin() throws Exception {
        ServerSocket a = upstream("a");
        proxy = TcpProxy.start("127.0.0.1", a.getLocalPort());
        assertThat(List.of(name(), name())).containsExactly("a", "a");

        ServerSocket b = upstream("b");
        ServerSocket c = upstream("c");
        proxy.addUpstream("127.0.0.1", b.getLocalPort()).addUpstream("127.0.0.1", c.getLocalPort());
        List<String> next = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            next.add(name());
        }
        // each upstream twice, in turn
        assertThat(next).containsExactlyInAnyOrder("a", "a", "b", "b", "c", "c");
        assertThat(next.subList(0, 3)).doesNotHaveDuplicates();
        assertThat(next.subList(3, 6)).isEqualTo(next.subList(0, 3));
        assertThat(proxy.connections()).isEqualTo(8);
    }

    /** What the upstream that takes a new connection through the proxy writes: its name. */
    private String name() throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(5_000);
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(1), StandardCharsets.UTF_8);
        }
    }

    private ServerSocket upstream(String name) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        upstreams.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write(name.getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "upstream-" + name);
        t.setDaemon(true);
        t.start();
        return server;
    }
}
