package dev.readiness.health.management;

import dev.readiness.core.probe.HealthRegistry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request line is the management port's outside input (Jetty or the JDK's server parses the bytes; what they
 * hand on, method, raw path and raw query, is ours to read): no method, path or query makes
 * {@link ManagementServer#answer} throw, every answer is one of the statuses the contract names, and the bytes of
 * a hostile request on a real socket get an HTTP answer or a close.
 */
class ManagementRequestPropertiesTest {

    private static HealthRegistry registry;
    private static ManagementServer server;

    @BeforeContainer
    static void start() {
        registry = HealthRegistry.create();
        server = ManagementServer.builder(registry).host("127.0.0.1").port(0).details(true)
                .requestTimeout(Duration.ofMillis(500))
                .handler("/drainz", uri -> ManagementResponse.json(200, "{\"query\":" + (uri.getRawQuery() == null
                        ? 0 : uri.getRawQuery().length()) + "}"))
                .handler("/boom", uri -> {
                    throw new IllegalStateException("a handler that fails");
                })
                .start();
    }

    @AfterContainer
    static void stop() {
        server.close();
        registry.close();
    }

    @Provide
    Arbitrary<String> method() {
        return Arbitraries.oneOf(Arbitraries.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT",
                "get", "", " GET", "GET\u0000", "PRI"), Arbitraries.strings().all().ofMaxLength(10));
    }

    @Provide
    Arbitrary<String> path() {
        Arbitrary<String> known = Arbitraries.of("/livez", "/readyz", "/startupz", "/drainz", "/boom", "/metrics", "/",
                "", "//readyz", "/readyz/", "/%72eadyz", "/readyz%00", "/readyz\u0000", "/READYZ", "/readyz;x",
                "/../readyz", "readyz", "/drainz/..", "*", "http://x/readyz", "/" + "a".repeat(10_000));
        return Arbitraries.oneOf(known, Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars("/%.;?#[]@!$&'()*+,=:~ -_az09\u0000\\").ofMaxLength(40)
                        .map(s -> "/" + s));
    }

    @Provide
    Arbitrary<String> query() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of("", "verbose", "verbose=", "verbose=true", "verbose=1", "verbose=0",
                        "a=b&verbose", "&&&&&&&&&&&&&&&&&&&&verbose", "verbose&".repeat(20), "%", "%zz", "a b", "a\"b",
                        "a<b>", "\u0000", "#x", "{}", "x=%E2%82", "\uD800")),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(40))).injectNull(0.2);
    }

    private static final Set<Integer> STATUSES = Set.of(200, 503, 400, 404, 405, 500);

    @Property(tries = 2000)
    void everyRequestGetsAnAnswerOfTheContract(@ForAll("method") String method, @ForAll("path") String path,
                                               @ForAll("query") String query) {
        Engine.Answer a = server.answer(method, path, query);
        assertThat(a.status()).isIn(STATUSES);
        assertThat(a.body()).isNotNull();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            assertThat(a.status()).isEqualTo(405);
        } else if (Set.of("/livez", "/readyz", "/startupz").contains(path)) {
            assertThat(a.status()).isIn(200, 503);
        } else if (path.equals("/boom")) {
            assertThat(a.status()).isIn(400, 500);
        } else if (path.equals("/drainz")) {
            assertThat(a.status()).isIn(200, 400);
        } else {
            assertThat(a.status()).isEqualTo(404);
        }
    }

    @Property(tries = 2000)
    void verboseIsOnlyTheFourSpellings(@ForAll("query") String query) {
        boolean verbose = ManagementServer.verbose(query);
        if (verbose) {
            assertThat(query.split("&", 16)).containsAnyOf("verbose", "verbose=", "verbose=true", "verbose=1");
        }
    }

    /** Raw bytes on a real connection: an HTTP status of the contract (or 414/431 for a long head), or a close. */
    @Property(tries = 300)
    void hostileRequestBytesGetAnAnswerOrAClose(@ForAll("requestBytes") byte[] request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(3_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
                s.shutdownOutput();
            } catch (IOException closedWhileWriting) {
                return; // the server refused the bytes and closed: allowed
            }
            String line = statusLine(s.getInputStream());
            if (line != null) {
                assertThat(line).matches("HTTP/1\\.[01] \\d{3}.*");
                int status = Integer.parseInt(line.substring(9, 12));
                // Jetty's own refusals too: 408 (timeout), 414, 431 (too long), 426 (HTTP/2.0 on HTTP/1), 501, 505
                assertThat(status).isIn(200, 503, 400, 404, 405, 500, 408, 414, 426, 431, 501, 505);
            }
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        try {
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                b.append((char) c);
            }
            if (c == -1 && b.isEmpty()) {
                return null; // closed without an answer
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("neither an answer nor a close within 3 s; read so far: " + b, e);
        } catch (IOException reset) {
            return null;
        }
        return b.toString().strip();
    }

    @Provide
    Arbitrary<byte[]> requestBytes() {
        Arbitrary<String> head = Combinators.combine(method(), path(), query(),
                        Arbitraries.of("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9", "", "http/1.1"),
                        Arbitraries.of("Host: x\r\n", "", "Host: x\r\nHost: y\r\n", "X: " + "y".repeat(20_000) + "\r\n",
                                "Content-Length: -1\r\n", "Content-Length: 99999999999999999999\r\n",
                                "Transfer-Encoding: chunked\r\n", "bad header\r\n", " folded\r\n", "X:\u0000\r\n"),
                        Arbitraries.of("\r\n\r\n", "\n\n", "\r\n", ""))
                .as((m, p, q, v, h, end) -> m + " " + p + (q == null ? "" : "?" + q) + " " + v + "\r\n" + h + end);
        return Arbitraries.oneOf(head.map(s -> s.getBytes(StandardCharsets.UTF_8)),
                head.map(s -> s.getBytes(StandardCharsets.ISO_8859_1)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(2000));
    }
}
