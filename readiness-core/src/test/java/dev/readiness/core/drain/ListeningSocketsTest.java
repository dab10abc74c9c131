package dev.readiness.core.drain;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ListeningSocketsTest {

    @Test
    void aListenerThatStillAcceptsIsReportedAfterTheWait() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(ListeningSockets.awaitRefused(InetAddress.getLoopbackAddress(), listener.getLocalPort(),
                    Duration.ofMillis(50))).isFalse();
        }
    }

    @Test
    void aClosedListenerIsRefusedAtOnceAndAWildcardMeansLoopback() throws Exception {
        int port;
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = listener.getLocalPort();
        }
        assertThat(ListeningSockets.awaitRefused((InetAddress) null, port, Duration.ofSeconds(2))).isTrue();
        assertThat(ListeningSockets.awaitRefused("0.0.0.0", port, Duration.ofSeconds(2))).isTrue();
        assertThat(ListeningSockets.awaitRefused("no such host name.invalid", port, Duration.ofSeconds(2))).isTrue();
        assertThat(ListeningSockets.awaitRefused((InetAddress) null, 0, Duration.ofSeconds(2))).isTrue();
    }
}
