package dev.readiness.bench.listen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Writes a /proc-shaped tree of regular files: the kernel's line formats, many established sockets. */
final class SyntheticProc {

    private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
            + "   uid  timeout inode\n";
    private static final String HEADER6 = "  sl  local_address                         remote_address"
            + "                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    private SyntheticProc() {
    }

    static Path write(Path root, int connections) throws IOException {
        Files.createDirectories(root.resolve("net"));
        Files.createDirectories(root.resolve("sys/net/core"));
        Files.writeString(root.resolve("sys/net/core/somaxconn"), "4096\n");
        Files.writeString(root.resolve("net/netstat"), "TcpExt: SyncookiesSent SyncookiesRecv SyncookiesFailed"
                + " ListenOverflows ListenDrops TCPHPHits\nTcpExt: 0 0 0 17 17 123456\n"
                + "IpExt: InNoRoutes InOctets\nIpExt: 0 987654321\n");
        StringBuilder v4 = new StringBuilder(HEADER);
        StringBuilder v6 = new StringBuilder(HEADER6);
        int sl = 0;
        for (int port : new int[]{8080, 8443}) {
            v4.append(String.format("%4d: 00000000:%04X 00000000:0000 0A 00000000:00000003 00:00000000 00000000"
                    + "     0        0 %d 1 0000000000000000 100 0 0 10 0%n", sl++, port, 1000 + port));
            v6.append(String.format("%4d: 00000000000000000000000000000000:%04X 00000000000000000000000000000000:0000"
                    + " 0A 00000000:00000001 00:00000000 00000000     0        0 %d 1 0000000000000000 100 0 0 10 0%n",
                    sl++, port, 2000 + port));
        }
        for (int i = 0; i < connections * 2; i++) {
            StringBuilder b = i % 2 == 0 ? v4 : v6;
            if (b == v4) {
                b.append(String.format("%4d: 0100007F:1F90 0100007F:%04X 01 00000000:00000000 02:000AFC81 00000000"
                        + "     0        0 %d 2 0000000000000000 20 4 30 10 -1%n", sl++, 30000 + i, 50000 + i));
            } else {
                b.append(String.format("%4d: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:%04X"
                        + " 01 00000000:00000000 02:000AFC81 00000000     0        0 %d 2 0000000000000000 20 4 30 10 -1%n",
                        sl++, 30000 + i, 50000 + i));
            }
        }
        Files.writeString(root.resolve("net/tcp"), v4);
        Files.writeString(root.resolve("net/tcp6"), v6);
        return root;
    }

    static void delete(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
