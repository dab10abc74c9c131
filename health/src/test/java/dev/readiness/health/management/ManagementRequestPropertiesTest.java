package dev.readiness.health.management;

import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.testkit.fuzz.Fuzz;
import dev.readiness.testkit.fuzz.Gen;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    @BeforeAll
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

    @AfterAll
    static void stop() {
        server.close();
        registry.close();
    }

    private static Gen<String> method() {
        return Gen.oneOf(Gen.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT",
                "get", "", " GET", "GET\u0000", "PRI"), Gen.strings().all().ofMaxLength(10));
    }

    private static Gen<String> path() {
        Gen<String> known = Gen.of("/livez", "/readyz", "/startupz", "/drainz", "/boom", "/metrics", "/",
                "", "//readyz", "/readyz/", "/%72eadyz", "/readyz%00", "/readyz\u0000", "/READYZ", "/readyz;x",
                "/../readyz", "readyz", "/drainz/..", "*", "http://x/readyz", "/" + "a".repeat(10_000));
        return Gen.oneOf(known, Gen.strings().all().ofMaxLength(40),
                Gen.strings().withChars("/%.;?#[]@!$&'()*+,=:~ -_az09\u0000\\").ofMaxLength(40)
                        .map(s -> "/" + s));
    }

    private static Gen<String> query() {
        return Gen.frequencyOf(
                Gen.weight(2, Gen.of("", "verbose", "verbose=", "verbose=true", "verbose=1", "verbose=0",
                        "a=b&verbose", "&&&&&&&&&&&&&&&&&&&&verbose", "verbose&".repeat(20), "%", "%zz", "a b", "a\"b",
                        "a<b>", "\u0000", "#x", "{}", "x=%E2%82", "\uD800")),
                Gen.weight(2, Gen.strings().all().ofMaxLength(40))).injectNull(0.2);
    }

    private static final Set<Integer> STATUSES = Set.of(200, 503, 400, 404, 405, 500);

    private record Request(String method, String path, String query) {
    }

    @Test
    void everyRequestGetsAnAnswerOfTheContract() {
        Fuzz.forAll(2000, Gen.combine(method(), path(), query(), Request::new),
                r -> answersOfTheContract(r.method(), r.path(), r.query()));
    }

    private static void answersOfTheContract(String method, String path, String query) {
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

    @Test
    void verboseIsOnlyTheFourSpellings() {
        Fuzz.forAll(2000, query(), query -> {
            boolean verbose = ManagementServer.verbose(query);
            if (verbose) {
                assertThat(query.split("&", 16)).containsAnyOf("verbose", "verbose=", "verbose=true", "verbose=1");
            }
        });
    }

    /** Raw bytes on a real connection: an HTTP status of the contract (or 414/431 for a long head), or a close. */
    @Test
    void hostileRequestBytesGetAnAnswerOrAClose() {
        Fuzz.forAll(300, requestBytes(), ManagementRequestPropertiesTest::getsAnAnswerOrAClose);
    }

    private static void getsAnAnswerOrAClose(byte[] request) throws IOException {
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

    private static Gen<byte[]> requestBytes() {
        Gen<String> method = method();
        Gen<String> path = path();
        Gen<String> query = query();
        Gen<String> version = Gen.of("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9", "", "http/1.1");
        Gen<String> headers = Gen.of("Host: x\r\n", "", "Host: x\r\nHost: y\r\n", "X: " + "y".repeat(20_000) + "\r\n",
                "Content-Length: -1\r\n", "Content-Length: 99999999999999999999\r\n",
                "Transfer-Encoding: chunked\r\n", "bad header\r\n", " folded\r\n", "X:\u0000\r\n");
        Gen<String> end = Gen.of("\r\n\r\n", "\n\n", "\r\n", "");
        Gen<String> head = r -> {
            String m = method.next(r);
            String p = path.next(r);
            String q = query.next(r);
            return m + " " + p + (q == null ? "" : "?" + q) + " " + version.next(r) + "\r\n" + headers.next(r)
                    + end.next(r);
        };
        return Gen.oneOf(head.map(s -> s.getBytes(StandardCharsets.UTF_8)),
                head.map(s -> s.getBytes(StandardCharsets.ISO_8859_1)),
                Gen.bytes().ofMaxSize(2000));
    }
}
