package dev.readiness.testkit.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A blocking HTTP/1.1 client for loopback that sends every request exactly once. The JDK's
 * {@code java.net.http.HttpClient} resends an idempotent request, once and silently, when a pooled connection
 * turns out closed or a connection is refused; a harness that counts failed requests through it counts them
 * after those retries, so the failures a load balancer's first attempt would see stay hidden. Here a refused
 * connection, a reset, a timeout or an answer cut short is an {@link IOException} for the caller to count.
 * <p>
 * With keep-alive on, connections are pooled per port the way a proxy pools them, and a connection the server
 * has already closed is dropped before a request is written on it (the stale check any pooling client makes; no
 * request is sent twice). A request written on a connection that the server closes afterwards fails.
 */
public final class NoRetryHttpClient implements AutoCloseable {

    /** An answer: the status, the headers (names in lower case, every value in order) and the body. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {

        /** The last value of the header {@code name}, or null. */
        public String header(String name) {
            List<String> values = headers(name);
            return values.isEmpty() ? null : values.get(values.size() - 1);
        }

        /** Every value of the header {@code name} (several {@code Set-Cookie}, say), in order. */
        public List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final Duration connectTimeout;
    private final boolean keepAlive;
    private final Map<Integer, Deque<Connection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param connectTimeout longest a connect may take
     * @param keepAlive      whether connections are kept and reused; without it each request sends
     *                       {@code Connection: close} on a new connection
     */
    public NoRetryHttpClient(Duration connectTimeout, boolean keepAlive) {
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
        }
        this.connectTimeout = connectTimeout;
        this.keepAlive = keepAlive;
    }

    /**
     * Sends {@code GET pathAndQuery} to 127.0.0.1:{@code port} once and reads the whole answer, all within
     * {@code timeout} (a {@link SocketTimeoutException} when it passes).
     */
    public Response get(int port, String pathAndQuery, Duration timeout) throws IOException {
        return get(port, pathAndQuery, Map.of(), timeout);
    }

    /** As {@link #get(int, String, Duration)}, with request {@code headers} such as {@code Cookie}. */
    public Response get(int port, String pathAndQuery, Map<String, String> headers, Duration timeout)
            throws IOException {
        Map<String, List<String>> all = new LinkedHashMap<>();
        headers.forEach((name, value) -> all.put(name, List.of(value)));
        return send(port, "GET", pathAndQuery, all, new byte[0], timeout);
    }

    /**
     * Sends one request once, as a proxy forwards it: {@code method} and {@code target} as given, every value of
     * {@code headers} on a line of its own, and {@code body} with its {@code Content-Length} (none for an empty
     * body of a GET, HEAD, DELETE or OPTIONS). {@code Host}, {@code Content-Length}, {@code Transfer-Encoding} and
     * {@code Connection} in {@code headers} are ignored: this client writes its own. The answer to a HEAD has no
     * body.
     *
     * @throws NotSentException when no connection could be opened: nothing reached the server, so the caller may
     *                          send the request elsewhere
     * @throws IOException      on any later failure, after which the server may have acted on the request
     */
    public Response send(int port, String method, String target, Map<String, List<String>> headers, byte[] body,
                         Duration timeout) throws IOException {
        if (!method.matches("[A-Z]{1,16}")) {
            throw new IllegalArgumentException("not an HTTP method: " + method);
        }
        if (target.isEmpty() || target.chars().anyMatch(ch -> ch <= ' ' || ch >= 127)) {
            throw new IllegalArgumentException("not a request target: '" + target + "'");
        }
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                .append(port).append("\r\n");
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        }
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("host") || lower.equals("content-length") || lower.equals("transfer-encoding")
                    || lower.equals("connection")) {
                return;
            }
            for (String value : values) {
                if (name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0 || value.indexOf('\r') >= 0
                        || value.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("a header with a line break: " + name);
                }
                head.append(name).append(": ").append(value).append("\r\n");
            }
        });
        if (body.length > 0 || !List.of("GET", "HEAD", "DELETE", "OPTIONS").contains(method)) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        if (closed) {
            throw new IllegalStateException("client closed");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Connection c = keepAlive ? pooled(port) : null;
        if (c == null) {
            c = open(port, deadline);
        }
        boolean reusable = false;
        try {
            c.out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            c.out.write(body);
            c.out.flush();
            Response r = read(c, deadline, method.equals("HEAD"));
            c.requests++;
            reusable = keepAlive && !"close".equalsIgnoreCase(r.header("connection"));
            return r;
        } finally {
            if (reusable && !closed) {
                idle.computeIfAbsent(port, p -> new ConcurrentLinkedDeque<>()).push(c);
            } else {
                c.close();
            }
        }
    }

    /**
     * No connection to the server could be opened (refused, or the connect timed out): not a byte of the request
     * was sent. A {@link ConnectException}, as a refused connect has always been here.
     */
    public static final class NotSentException extends ConnectException {
        NotSentException(int port, IOException cause) {
            super("no connection to 127.0.0.1:" + port + " (nothing sent): " + cause.getMessage());
            initCause(cause);
        }
    }

    private Connection pooled(int port) {
        Deque<Connection> q = idle.get(port);
        for (Connection c = q == null ? null : q.poll(); c != null; c = q.poll()) {
            if (c.open()) {
                return c;
            }
            c.close();
        }
        return null;
    }

    private Connection open(int port, long deadline) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    (int) Math.min(connectTimeout.toMillis(), remainingMillis(deadline)));
            return new Connection(s);
        } catch (IOException e) {
            s.close();
            throw new NotSentException(port, e);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static Response read(Connection c, long deadline, boolean head) throws IOException {
        String statusLine = line(c, deadline);
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.x status line: '" + statusLine + "'");
        }
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: '" + statusLine + "'");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int headerBytes = statusLine.length();
        for (String h = line(c, deadline); !h.isEmpty(); h = line(c, deadline)) {
            headerBytes += h.length();
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new IOException("headers longer than " + MAX_HEADER_BYTES + " bytes");
            }
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(h.substring(colon + 1).trim());
            }
        }
        byte[] body;
        String length = last(headers, "content-length");
        if (head || status / 100 == 1 || status == 204 || status == 304) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(last(headers, "transfer-encoding"))) {
            body = chunked(c, deadline);
        } else if (length != null) {
            body = exactly(c, Integer.parseInt(length), deadline);
        } else {
            // Neither length nor chunks: the body ends where the server closes the connection.
            headers.put("connection", List.of("close"));
            body = toClose(c, deadline);
        }
        Map<String, List<String>> all = new LinkedHashMap<>();
        headers.forEach((k, v) -> all.put(k, List.copyOf(v)));
        return new Response(status, java.util.Collections.unmodifiableMap(all), body);
    }

    private static String last(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    private static byte[] chunked(Connection c, long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(c, deadline);
            int semicolon = size.indexOf(';');
            int n;
            try {
                n = Integer.parseInt((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size '" + size + "'");
            }
            if (n == 0) {
                while (!line(c, deadline).isEmpty()) {
                    // trailers, ignored
                }
                return body.toByteArray();
            }
            body.write(exactly(c, n, deadline));
            line(c, deadline);
        }
    }

    private static byte[] exactly(Connection c, int n, long deadline) throws IOException {
        byte[] b = new byte[n];
        for (int off = 0; off < n; ) {
            c.socket.setSoTimeout(remainingMillis(deadline));
            int read = c.in.read(b, off, n - off);
            if (read < 0) {
                throw new IOException("connection closed after " + off + " of " + n + " body bytes");
            }
            off += read;
        }
        return b;
    }

    private static byte[] toClose(Connection c, long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        while (true) {
            c.socket.setSoTimeout(remainingMillis(deadline));
            int read = c.in.read(b);
            if (read < 0) {
                return body.toByteArray();
            }
            body.write(b, 0, read);
        }
    }

    private static String line(Connection c, long deadline) throws IOException {
        StringBuilder s = new StringBuilder();
        while (true) {
            c.socket.setSoTimeout(remainingMillis(deadline));
            int b = c.in.read();
            if (b < 0) {
                throw new IOException(s.length() > 0 ? "connection closed in the middle of a line"
                        : "connection closed before an answer" + (c.requests > 0
                        ? " (a kept-alive connection, after " + c.requests + " answers)" : ""));
            }
            if (b == '\n') {
                int end = s.length();
                return end > 0 && s.charAt(end - 1) == '\r' ? s.substring(0, end - 1) : s.toString();
            }
            if (s.length() >= MAX_HEADER_BYTES) {
                throw new IOException("line longer than " + MAX_HEADER_BYTES + " bytes");
            }
            s.append((char) b);
        }
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("request timed out");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /** Closes the idle connections; requests in flight finish on their own connections. */
    @Override
    public void close() {
        closed = true;
        idle.values().forEach(q -> {
            for (Connection c = q.poll(); c != null; c = q.poll()) {
                c.close();
            }
        });
    }

    private static final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        int requests;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** Whether the server has not closed it: nothing to read, and no end of stream, within 1 ms. */
        boolean open() {
            try {
                if (in.available() > 0) {
                    return false; // bytes nobody asked for: the connection is out of step
                }
                socket.setSoTimeout(1);
                in.read();
                return false; // end of stream, or bytes nobody asked for
            } catch (SocketTimeoutException e) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }
}
