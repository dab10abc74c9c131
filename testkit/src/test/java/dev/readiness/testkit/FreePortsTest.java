package dev.readiness.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortsTest {

    @Test
    void handsOutDistinctPortsThatCanBeBoundBelowTheEphemeralRange() throws IOException {
        int ephemeralLow = FreePorts.ephemeralLow(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            int port = FreePorts.next();
            assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
            if (ephemeralLow - FreePorts.LOWEST > 1_000) {
                assertThat(port).isBetween(FreePorts.LOWEST, ephemeralLow - 1);
            }
        }
        for (int port : ports.stream().limit(20).toList()) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(port));
                assertThat(s.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void aPortSomethingListensOnIsNotBindable() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            assertThat(FreePorts.bindable(taken.getLocalPort())).isFalse();
        }
        int port = FreePorts.next();
        assertThat(FreePorts.bindable(port)).isTrue();
    }

    @Test
    void theEphemeralRangeFileWhenBrokenMissingOrHostileFallsBackToLinuxDefault(@TempDir Path dir) throws IOException {
        assertThat(read(dir, "40000\t60999\n")).isEqualTo(40_000);
        assertThat(read(dir, "1024 65535")).isEqualTo(1_024);
        assertThat(FreePorts.ephemeralLow(dir.resolve("absent"))).isEqualTo(32_768);
        assertThat(read(dir, "")).isEqualTo(32_768);
        assertThat(read(dir, "60999\t40000")).isEqualTo(32_768); // out of order
        assertThat(read(dir, "0\t60999")).isEqualTo(32_768);
        assertThat(read(dir, "40000\t70000")).isEqualTo(32_768); // beyond 65535
        assertThat(read(dir, "-1\t60999")).isEqualTo(32_768);
        assertThat(read(dir, "40000")).isEqualTo(32_768);
        assertThat(read(dir, "40000 50000 60000")).isEqualTo(32_768);
        assertThat(read(dir, "٤٠٠٠٠\t60999")).isEqualTo(32_768); // non-ASCII digits
        assertThat(read(dir, "9".repeat(4_000) + "\t1")).isEqualTo(32_768);
        Files.write(dir.resolve("binary"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThat(FreePorts.ephemeralLow(dir.resolve("binary"))).isEqualTo(32_768);
        assertThat(FreePorts.ephemeralLow(dir)).as("a directory").isEqualTo(32_768);
    }

    private static int read(Path dir, String content) throws IOException {
        Path file = Files.createTempFile(dir, "range", "");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return FreePorts.ephemeralLow(file);
    }
}
