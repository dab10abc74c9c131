package dev.readiness.health.listen;

import dev.readiness.core.listen.ListenQueueProbe;
import dev.readiness.core.listen.ListenQueueSample;
import dev.readiness.core.listen.ListenQueueSettings;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The Jetty and Tomcat readers report what the servers really request, on real servers bound to loopback. */
class ServerBacklogReadersTest {

    @TempDir
    Path tmp;

    @Test
    void jettyReportsAcceptQueueSizeAndItsJdkDefault() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        assertThat(JettyAcceptQueue.requestedBacklog(server).getAsInt()).as("Jetty's default").isZero();

        connector.setAcceptQueueSize(77);
        server.start();
        try {
            assertThat(JettyAcceptQueue.requestedBacklog(connector).getAsInt()).isEqualTo(77);
            assertThat(JettyAcceptQueue.requestedBacklog(server).getAsInt()).isEqualTo(77);
            assertProbeSeesListener(connector.getLocalPort(), JettyAcceptQueue.requestedBacklog(server), 77);
        } finally {
            server.stop();
        }
        assertThat(JettyAcceptQueue.requestedBacklog(new Server()).getAsInt()).as("no connector").isEqualTo(-1);
    }

    @Test
    void tomcatReportsAcceptCount() throws Exception {
        Connector plain = new Connector();
        assertThat(TomcatAcceptCount.requestedBacklog(plain).getAsInt()).as("Tomcat's default").isEqualTo(100);

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(tmp.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("acceptCount", "33");
        tomcat.getService().addConnector(connector);
        tomcat.start();
        try {
            assertThat(TomcatAcceptCount.requestedBacklog(connector).getAsInt()).isEqualTo(33);
            assertProbeSeesListener(connector.getLocalPort(), TomcatAcceptCount.requestedBacklog(connector), 33);
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    /** With Linux /proc, the probe finds the server's own listener and computes its effective backlog. */
    private static void assertProbeSeesListener(int port, java.util.function.IntSupplier requested, int expected) {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd")),
                "skipped the /proc part: needs Linux /proc; this machine runs " + System.getProperty("os.name"));
        List<String> warnings = new ArrayList<>();
        ListenQueueProbe probe = ListenQueueProbe.builder(ListenQueueSettings.builder().minBacklog(0).build())
                .requestedBacklog(requested).warnings(warnings::add).build();

        ListenQueueSample s = probe.sample();

        assertThat(s.queueDepth(port)).as("listener on %d found through /proc/self/fd", port).isZero();
        assertThat(s.requestedBacklog()).isEqualTo(expected);
        assertThat(s.effectiveBacklog()).isEqualTo(Math.min(expected, s.somaxconn()));
        assertThat(warnings).isEmpty();
    }
}
