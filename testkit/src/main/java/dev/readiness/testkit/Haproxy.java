package dev.readiness.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy process (Debian's {@code haproxy}) run in the foreground from a configuration the test writes, with
 * an admin stats socket the test reads with {@code show stat}. A machine without HAProxy fails the test that asks for
 * it, naming the package: the tests that use it prove behaviour against the real load balancer, and ./test.sh
 * installs it. The configuration is checked with {@code haproxy -c} first, so a mistake in it fails with HAProxy's words.
 */
public final class Haproxy implements AutoCloseable {

    private final Process process;
    private final Path socket;
    private final Path log;

    private Haproxy(Process process, Path socket, Path log) {
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    /** The haproxy binary, or an AssertionError that says how to install it. */
    public static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "haproxy");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        for (String p : List.of("/usr/sbin/haproxy", "/usr/local/sbin/haproxy")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        throw new AssertionError("haproxy is not installed: this test drives a real HAProxy. Install Debian's"
                + " package (apt-get install -y haproxy); ./test.sh installs it when run as root");
    }

    /**
     * The configuration the tests and benchmarks share: the admin socket ({@code {socket}}, for {@link #start}),
     * HTTP mode with short timeouts and {@code retries 0} (a failed request is counted, never resent), a frontend
     * on {@code frontendPort} and a round-robin backend {@code be} whose further lines ({@code option httpchk},
     * the {@code server} lines) are {@code backend}, each indented and ending with a newline.
     */
    public static String httpConfig(int frontendPort, int maxconn, String backend) {
        return """
                global
                  stats socket {socket} mode 600 level admin
                  maxconn %d
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 30s
                  timeout server 30s
                  timeout check 1s
                  retries 0
                frontend fe
                  bind 127.0.0.1:%d
                  default_backend be
                backend be
                  balance roundrobin
                %s""".formatted(maxconn, frontendPort, backend);
    }

    /**
     * Starts HAProxy with {@code config}, where {@code {socket}} is replaced by the admin socket's path.
     */
    public static Haproxy start(Path dir, String config) throws IOException, InterruptedException {
        String bin = binary();
        Path socket = dir.resolve("admin.sock");
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, config.replace("{socket}", socket.toString()));
        Path log = dir.resolve("haproxy.log");
        Process check = new ProcessBuilder(bin, "-c", "-f", cfg.toString()).redirectErrorStream(true).start();
        String checkOut = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!check.waitFor(20, TimeUnit.SECONDS) || check.exitValue() != 0) {
            throw new AssertionError("haproxy refused the configuration:\n" + checkOut + "\n" + config);
        }
        Process p = new ProcessBuilder(bin, "-db", "-f", cfg.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Haproxy h = new Haproxy(p, socket, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                h.close();
                throw new AssertionError("haproxy did not start:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return h;
    }

    /** {@code show stat} of one server: the CSV's columns by name ({@code status}, {@code weight}, ...). */
    public Map<String, String> server(String backend, String server) throws IOException {
        String csv = command("show stat");
        String[] lines = csv.split("\n");
        if (lines.length == 0 || !lines[0].startsWith("# ")) {
            throw new IllegalStateException("not a stat CSV: " + csv);
        }
        String[] header = lines[0].substring(2).split(",", -1);
        for (String line : lines) {
            String[] f = line.split(",", -1);
            if (f.length >= 2 && f[0].equals(backend) && f[1].equals(server)) {
                Map<String, String> out = new LinkedHashMap<>();
                for (int i = 0; i < Math.min(header.length, f.length); i++) {
                    out.put(header[i], f[i]);
                }
                return out;
            }
        }
        throw new IllegalStateException("no server " + backend + "/" + server + " in:\n" + csv);
    }

    /** One command on the admin socket, its whole answer. */
    public String command(String command) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(16_384);
            while (ch.read(buf) > 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** HAProxy's own output so far. */
    public List<String> log() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : new ArrayList<>();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
