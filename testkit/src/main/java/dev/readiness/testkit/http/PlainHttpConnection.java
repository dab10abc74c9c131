package dev.readiness.testkit.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection to a loopback server on a plain blocking socket, kept alive between requests. It never
 * retries: a request is sent once, and a connection the server closed is reopened only before the next request,
 * never to resend one. (The JDK's {@code HttpClient} silently resends an idempotent request whose connection
 * failed, which a test counting what the server did cannot allow.) A response is read whole, by its
 * {@code Content-Length}, by its chunks, or to the end of the connection.
 */
public final class PlainHttpConnection implements AutoCloseable {

    private static final int TIMEOUT_MS = 30_000;

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public PlainHttpConnection(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** A response: status, headers by lower-case name (each with its values in order), body. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {

        /** The first value of {@code name} (any case), or null. */
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** {@code GET target} with {@code headers} added; {@code target} is a path with its query. */
    public Response get(String target, Map<String, String> headers) throws IOException {
        if (socket == null) {
            open();
        }
        StringBuilder req = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: ")
                .append(host).append(':').append(port).append("\r\n");
        headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        req.append("\r\n");
        out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        Response r = read();
        String connection = r.header("connection");
        if (connection != null && connection.equalsIgnoreCase("close")) {
            close();
        }
        return r;
    }

    private void open() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(TIMEOUT_MS);
        socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private Response read() throws IOException {
        String status = line();
        while (status.isEmpty()) {
            status = line();
        }
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + status);
        }
        int code = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + h);
            }
            headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(h.substring(colon + 1).trim());
        }
        if (code / 100 == 1) {
            return read(); // an interim answer (100, 103): the real one follows
        }
        List<String> te = headers.getOrDefault("transfer-encoding", List.of());
        List<String> cl = headers.getOrDefault("content-length", List.of());
        byte[] body;
        if (te.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
            body = chunked();
        } else if (!cl.isEmpty()) {
            body = in.readNBytes(Integer.parseInt(cl.get(0)));
            if (body.length != Integer.parseInt(cl.get(0))) {
                throw new EOFException("the connection ended after " + body.length + " of " + cl.get(0) + " bytes");
            }
        } else if (code == 204 || code == 304) {
            body = new byte[0];
        } else {
            body = in.readAllBytes();
            close();
        }
        return new Response(code, headers, body);
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                    // trailers: none of them matter here
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(n);
            if (chunk.length != n) {
                throw new EOFException("the connection ended inside a chunk");
            }
            body.write(chunk);
            line();
        }
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the server closed the connection" + (b.isEmpty() ? "" : " after: " + b));
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            Socket s = socket;
            socket = null;
            s.close();
        }
    }
}
