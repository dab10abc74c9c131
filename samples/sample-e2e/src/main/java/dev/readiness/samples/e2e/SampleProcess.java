package dev.readiness.samples.e2e;

import dev.readiness.testkit.FreePorts;
import dev.readiness.testkit.http.NoRetryHttpClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A sample started as a real process, the way it runs in a container: through the gc-tuning entrypoint,
 * {@code java -jar}, with its configuration in
 * environment variables, on free loopback ports, its output in a file. {@link #sigterm()} sends a real SIGTERM.
 * The entrypoint is expected in {@code entrypoint/} beside the jar, where the samples' package phase puts it.
 */
public final class SampleProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;
    private final int managementPort;
    private final CookieManager cookies;
    // every request sent once, on a connection of its own: a resent request cannot hide a failure
    private final NoRetryHttpClient http = new NoRetryHttpClient(Duration.ofSeconds(5), false);

    /** An answer: its status, its body as text and the cookies it set ({@code Set-Cookie} values, in order). */
    public record Answer(int statusCode, String body, List<String> setCookies) {
    }

    private SampleProcess(Process process, Path log, int port, int managementPort, CookieManager cookies) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
        this.cookies = cookies;
    }

    /** Starts {@code jar} with {@code env} added to this JVM's environment and free ports for both servers. */
    public static SampleProcess start(Path jar, Map<String, String> env) throws IOException {
        return start(jar, env, new CookieManager());
    }

    /** As {@link #start(Path, Map)}, with a browser's cookie jar that other instances may share. */
    public static SampleProcess start(Path jar, Map<String, String> env, CookieManager cookies) throws IOException {
        return start(jar, List.of("-jar", jar.toString()), env, cookies);
    }

    /**
     * The sample's development run: {@code mainClass} (the test sources' main, the one {@code samples/run.sh}
     * starts) on this test JVM's class path, which holds the sample's test classes and test dependencies, through
     * the entrypoint beside {@code jar}.
     */
    public static SampleProcess startDevelopment(Path jar, String mainClass, Map<String, String> env)
            throws IOException {
        return start(jar, List.of("-cp", System.getProperty("java.class.path"), mainClass), env, new CookieManager());
    }

    private static SampleProcess start(Path jar, List<String> javaArgs, Map<String, String> env,
            CookieManager cookies) throws IOException {
        int port = FreePorts.next();
        int managementPort = FreePorts.next();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("SERVER_PORT", Integer.toString(port));
        all.put("READINESS_MANAGEMENT_PORT", Integer.toString(managementPort));
        // The tests speak plain http on loopback: a Secure session cookie would never be sent back.
        all.put("READINESS_SESSIONS_COOKIE_SECURE", "false");
        all.putAll(env);
        // Through the gc-tuning entrypoint, as in the container: it sizes the JVM, then execs java, so the
        // process the test signals is the JVM itself.
        Path entrypoint = jar.resolveSibling("entrypoint").resolve("readiness-gc-entrypoint.sh");
        if (!Files.isRegularFile(entrypoint)) {
            throw new IllegalStateException(entrypoint + " is missing: the package phase puts it there");
        }
        List<String> cmd = new ArrayList<>(List.of("sh", entrypoint.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1"));
        cmd.addAll(javaArgs);
        Path log = Files.createTempFile("sample-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // The sample's configuration comes only from what the test sets.
        pb.environment().keySet().removeIf(k -> k.startsWith("READINESS_") || k.startsWith("SERVER_")
                || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
        // This machine has no container limit: size the JVM as the smallest pod of the manifests would be.
        pb.environment().put("READINESS_GC_MEMORY_LIMIT", "768Mi");
        pb.environment().put("READINESS_GC_LOG_DIR", "off");
        pb.environment().putAll(all);
        return new SampleProcess(pb.start(), log, port, managementPort, cookies);
    }

    /** The sample's jar, from the system property {@code sample.jar} that each sample's Failsafe sets. */
    public static Path jar() {
        String jar = System.getProperty("sample.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("sample.jar=" + jar + " is not a file: run the end-to-end tests with"
                    + " mvn verify, which packages the sample first");
        }
        return Path.of(jar);
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Answer get(String path) throws IOException, InterruptedException {
        return send(port, path);
    }

    public Answer management(String path) throws IOException, InterruptedException {
        return send(managementPort, path);
    }

    /**
     * One GET with {@code cookie} as its whole {@code Cookie} header (none when empty), as a client replaying
     * cookies it kept would send it: the browser's cookie jar is neither read nor changed.
     */
    public Answer getWithCookieHeader(String path, String cookie) throws IOException {
        Map<String, String> headers = cookie.isEmpty() ? Map.of() : Map.of("Cookie", cookie);
        NoRetryHttpClient.Response r = http.get(port, path, headers, Duration.ofSeconds(30));
        return new Answer(r.status(), r.text(), r.headers("set-cookie"));
    }

    /** A request that fails to connect answers status -1 instead of throwing, for polling. */
    public int statusOrMinusOne(int onPort, String path) {
        try {
            return send(onPort, path).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** One GET on the service port, as {@link #get(String)}, with every response header (Retry-After, ...). */
    public NoRetryHttpClient.Response getWithHeaders(String path) throws IOException {
        return exchange(port, path);
    }

    /** One GET, sent once, with the browser's cookies for this host and port; the cookies it sets are kept. */
    private Answer send(int onPort, String path) throws IOException {
        NoRetryHttpClient.Response r = exchange(onPort, path);
        return new Answer(r.status(), r.text(), r.headers("set-cookie"));
    }

    private NoRetryHttpClient.Response exchange(int onPort, String path) throws IOException {
        URI uri = URI.create("http://127.0.0.1:" + onPort + path);
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookie = cookies.get(uri, Map.of()).getOrDefault("Cookie", List.of());
        if (!cookie.isEmpty()) {
            headers.put("Cookie", String.join("; ", cookie));
        }
        NoRetryHttpClient.Response r = http.get(onPort, path, headers, Duration.ofSeconds(30));
        cookies.put(uri, Map.of("Set-Cookie", r.headers("set-cookie")));
        return r;
    }

    /** A real SIGTERM (what the kubelet sends), not a JVM-internal shutdown. */
    public void sigterm() {
        process.destroy();
    }

    /** Sends a real signal by name ({@code INT} is what Ctrl-C sends to the foreground process). */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** The exit status, waiting at most {@code timeout}; fails with the log when it does not exit. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the sample did not exit within " + timeout + "; log:\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        // SIGTERM first, so that the sample stops the development Redis it may have started.
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(20, TimeUnit.SECONDS);
            }
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file
        }
    }

}
