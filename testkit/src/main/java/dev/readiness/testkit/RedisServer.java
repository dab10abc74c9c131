package dev.readiness.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server process on loopback, for tests and local development.
 * <p>
 * The binary is, in order: the file named by the {@code READINESS_REDIS_SERVER} environment variable or
 * {@code readiness.redis-server} system property; {@code redis-server} on the PATH; the binary shipped inside
 * the {@code com.github.codemonstur:embedded-redis} artifact (Linux and macOS), extracted once to a temporary
 * directory. Nothing is downloaded.
 */
public final class RedisServer implements AutoCloseable {

    private static volatile Path cachedBinary;

    private final Process process;
    private final int port;
    private final int tlsPort;
    private final Path dir;

    private RedisServer(Process process, int port, int tlsPort, Path dir) {
        this.process = process;
        this.port = port;
        this.tlsPort = tlsPort;
        this.dir = dir;
    }

    /** Starts a server without persistence on a free loopback port and waits until it answers PING. */
    public static RedisServer start(String... extraArgs) throws IOException {
        return start(FreePorts.next(), extraArgs);
    }

    /** Starts a server on {@code port}; {@code extraArgs} are redis-server options such as {@code --requirepass x}. */
    public static RedisServer start(int port, String... extraArgs) throws IOException {
        return start(port, 0, false, extraArgs);
    }

    /**
     * As {@link #start(String...)}, in a session of its own ({@code setsid}), for a development Redis that a JVM
     * started in a terminal owns: Ctrl-C sends SIGINT to the terminal's foreground process group, which then
     * reaches only the JVM, so the JVM drains with its Redis still serving and stops it last. Without
     * {@code setsid} on the PATH it starts in the JVM's group, as {@link #start(String...)} does.
     */
    public static RedisServer startInOwnSession() throws IOException {
        return start(FreePorts.next(), 0, true);
    }

    /**
     * Starts a server that also serves TLS on a second free loopback port ({@link #tlsPort()}, {@link #tlsUri()})
     * with {@code certificate}; clients are not asked for a certificate. The plain port stays open for the test's
     * own administration ({@link #command}, {@link #commandStats()}).
     *
     * @throws UnsupportedOperationException when this redis-server binary was built without TLS
     */
    public static RedisServer startTls(SelfSignedCertificate certificate, String... extraArgs) throws IOException {
        int tlsPort = FreePorts.next();
        List<String> args = new ArrayList<>(List.of("--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", certificate.certificatePem().toString(),
                "--tls-key-file", certificate.privateKeyPem().toString(), "--tls-auth-clients", "no"));
        args.addAll(List.of(extraArgs));
        try {
            return start(FreePorts.next(), tlsPort, false, args.toArray(String[]::new));
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("not supported") || m.contains("Bad directive") || m.contains("BUILD_TLS")) {
                throw new UnsupportedOperationException("redis-server " + binary() + " has no TLS support (built "
                        + "without BUILD_TLS=yes): " + m, e);
            }
            throw e;
        }
    }

    /**
     * A Sentinel ({@code redis-server <dir>/sentinel.conf --sentinel}) on a free loopback port, its configuration
     * file written from {@code sentinelConf} (Sentinel rewrites it as it learns the topology, so it is its own).
     * Package-private: {@link RedisSentinels} starts a set of them.
     */
    static RedisServer startSentinel(String sentinelConf) throws IOException {
        int port = FreePorts.next();
        Path dir = Files.createTempDirectory("sentinel-" + port + "-");
        Path conf = dir.resolve("sentinel.conf");
        Files.writeString(conf, sentinelConf);
        return start(dir, List.of(binary().toString(), conf.toString(), "--sentinel"), port, 0);
    }

    private static RedisServer start(int port, int tlsPort, boolean ownSession, String... extraArgs)
            throws IOException {
        Path dir = Files.createTempDirectory("redis-" + port + "-");
        List<String> cmd = new ArrayList<>();
        Path setsid = ownSession ? onPath("setsid") : null;
        if (setsid != null) {
            // a child of the JVM is never a group leader, so setsid execs redis-server in place: same pid
            cmd.add(setsid.toString());
        }
        cmd.add(binary().toString());
        return start(dir, cmd, port, tlsPort, extraArgs);
    }

    private static RedisServer start(Path dir, List<String> command, int port, int tlsPort, String... extraArgs)
            throws IOException {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--protected-mode", "no"));
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisServer server = new RedisServer(p, port, tlsPort, dir);
        server.awaitReady(Duration.ofSeconds(20), extraArgs);
        return server;
    }

    public int port() {
        return port;
    }

    /** The TLS port of a server from {@link #startTls}; 0 otherwise. */
    public int tlsPort() {
        return tlsPort;
    }

    /** {@code rediss://127.0.0.1:<tls port>} of a server from {@link #startTls}. */
    public String tlsUri() {
        if (tlsPort == 0) {
            throw new IllegalStateException("this redis-server was started without TLS; use RedisServer.startTls");
        }
        return "rediss://127.0.0.1:" + tlsPort;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public Path directory() {
        return dir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGSTOP: the server keeps its sockets open but answers nothing, the way a hung server behaves. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    /** SIGKILL, as a crash. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends one inline command and returns the raw reply text (for INFO, FLUSHALL, CONFIG and the like). */
    public String command(String... args) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                req.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
            }
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readReply(s.getInputStream());
        }
    }

    /**
     * Calls per command name that this server executed, from {@code INFO commandstats} (e.g.
     * {@code {hgetall=1, evalsha=1}}), leaving out the CONFIG and INFO calls made to read or reset them.
     */
    public java.util.Map<String, Long> commandStats() throws IOException {
        java.util.Map<String, Long> calls = new java.util.TreeMap<>();
        for (String line : command("INFO", "commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                int i = line.indexOf("calls=") + "calls=".length();
                calls.put(name, Long.parseLong(line.substring(i, line.indexOf(',', i))));
            }
        }
        calls.remove("config");
        calls.remove("info");
        return calls;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            resume(); // a stopped process cannot act on SIGTERM
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        TempDirs.deleteQuietly(dir);
    }

    /** The redis-server binary this class starts. */
    public static synchronized Path binary() throws IOException {
        if (cachedBinary != null) {
            return cachedBinary;
        }
        String configured = System.getenv("READINESS_REDIS_SERVER");
        if (configured == null) {
            configured = System.getProperty("readiness.redis-server");
        }
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (!Files.isExecutable(p)) {
                throw new IOException("READINESS_REDIS_SERVER=" + configured + " is not an executable file");
            }
            return cachedBinary = p;
        }
        Path onPath = onPath("redis-server");
        return cachedBinary = onPath != null ? onPath : extractEmbedded();
    }

    /** The executable {@code name} in a directory of the PATH, or null. */
    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(d, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    private static Path extractEmbedded() throws IOException {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String resource;
        if (os.contains("linux")) {
            resource = arch.contains("aarch64") || arch.contains("arm64") ? "redis-server-6.2.7-linux-arm64"
                    : "redis-server-6.2.6-v5-linux-amd64";
        } else if (os.contains("mac")) {
            resource = arch.contains("aarch64") || arch.contains("arm64") ? "redis-server-6.2.6-v5-darwin-arm64"
                    : "redis-server-6.2.6-v5-darwin-amd64";
        } else {
            throw new IOException("no redis-server for " + os + "/" + arch
                    + ": install one on the PATH or set READINESS_REDIS_SERVER");
        }
        try (InputStream in = RedisServer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("redis-server not found: put redis-server on the PATH, set READINESS_REDIS_SERVER,"
                        + " or add com.github.codemonstur:embedded-redis to the test class path");
            }
            Path dir = Files.createTempDirectory("readiness-redis-bin");
            Path bin = dir.resolve("redis-server");
            Files.copy(in, bin, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
            // deleteOnExit works in reverse order of registration: the directory first would still hold the binary.
            dir.toFile().deleteOnExit();
            bin.toFile().deleteOnExit();
            return bin;
        }
    }

    private void awaitReady(Duration timeout, String... extraArgs) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + ": " + log());
            }
            try {
                String reply = command("PING");
                if (reply.startsWith("+PONG") || reply.startsWith("-NOAUTH")) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for redis-server", e);
            }
        }
        close();
        throw new IOException("redis-server on port " + port + " did not answer within " + timeout + ": " + log(), last);
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void signal(String sig) {
        try {
            new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot send SIG" + sig + " to redis-server " + process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readReply(InputStream in) throws IOException {
        String line = readLine(in);
        if (line.startsWith("$")) {
            int len = Integer.parseInt(line.substring(1));
            if (len < 0) {
                return "(nil)";
            }
            byte[] body = in.readNBytes(len + 2);
            return new String(body, 0, Math.min(len, body.length), StandardCharsets.UTF_8);
        }
        if (line.startsWith("*")) {
            int n = Integer.parseInt(line.substring(1));
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < n; i++) {
                b.append(readReply(in)).append('\n');
            }
            return b.toString();
        }
        return line;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                break;
            }
            b.append((char) c);
        }
        if (c == -1 && b.length() == 0) {
            throw new IOException("connection closed");
        }
        return b.toString();
    }
}
