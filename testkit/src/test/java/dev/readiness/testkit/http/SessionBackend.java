package dev.readiness.testkit.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The samples' session endpoints over an in-memory store that several instances may share, correct unless told to
 * fail in one way: answer a stale counter now and then, drop list items, keep sessions on logout, write the whole
 * session back last-writer-wins (so of two requests at once one change is lost), or not know the list endpoints.
 */
final class SessionBackend implements AutoCloseable {

    enum Fault { NONE, STALE_COUNTER, DROP_ITEMS, KEEP_ON_LOGOUT, LAST_WRITER_WINS, NO_LIST }

    /** One session: a counter and a list, copied whole by a last-writer-wins request. */
    static final class State {
        int counter;
        List<String> items = new ArrayList<>();

        State copy() {
            State s = new State();
            s.counter = counter;
            s.items = new ArrayList<>(items);
            return s;
        }
    }

    private final HttpServer server;
    private final Map<String, State> store;
    private final Fault fault;
    private final AtomicInteger calls = new AtomicInteger();

    SessionBackend(Map<String, State> store, Fault fault) throws IOException {
        this.store = store;
        this.fault = fault;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.setExecutor(Executors.newCachedThreadPool(WeightedProxy.daemon("session-backend")));
        server.createContext("/", this::handle);
        server.start();
    }

    static Map<String, State> newStore() {
        return new ConcurrentHashMap<>();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery();
        String id = cookie(ex);
        State existing = id == null ? null : store.get(id);
        int n = calls.incrementAndGet();
        switch (path) {
            case "/session/read" -> answer(ex, existing == null ? "0" : String.valueOf(read(existing).counter));
            case "/session/logout" -> {
                if (existing != null && fault != Fault.KEEP_ON_LOGOUT) {
                    store.remove(id);
                }
                ex.getResponseHeaders().add("Set-Cookie", "SID=; Max-Age=0; Path=/");
                answer(ex, "bye");
            }
            case "/session/counter" -> {
                State s = session(ex, existing);
                String body;
                if (fault == Fault.LAST_WRITER_WINS) {
                    State copy = read(s);
                    pause();
                    copy.counter++;
                    write(s, copy);
                    body = String.valueOf(copy.counter);
                } else if (fault == Fault.STALE_COUNTER && n % 7 == 0) {
                    body = String.valueOf(read(s).counter); // the copy before the previous request's save
                } else {
                    synchronized (s) {
                        body = String.valueOf(++s.counter);
                    }
                }
                answer(ex, body);
            }
            case "/session/list/add" -> {
                if (fault == Fault.NO_LIST) {
                    status(ex, 404);
                    return;
                }
                String item = query != null && query.startsWith("item=")
                        ? URLDecoder.decode(query.substring(5), StandardCharsets.UTF_8) : "";
                State s = session(ex, existing);
                String body;
                if (fault == Fault.LAST_WRITER_WINS) {
                    State copy = read(s);
                    pause();
                    copy.items.add(item);
                    write(s, copy);
                    body = String.join(",", copy.items);
                } else {
                    synchronized (s) {
                        List<String> answered = new ArrayList<>(s.items);
                        answered.add(item);
                        if (!(fault == Fault.DROP_ITEMS && n % 3 == 0)) {
                            s.items.add(item);
                        }
                        body = String.join(",", answered);
                    }
                }
                answer(ex, body);
            }
            case "/session/list" -> {
                if (fault == Fault.NO_LIST) {
                    status(ex, 404);
                    return;
                }
                answer(ex, existing == null ? "" : String.join(",", read(existing).items));
            }
            default -> status(ex, 404);
        }
    }

    private State session(HttpExchange ex, State existing) {
        if (existing != null) {
            return existing;
        }
        String id = UUID.randomUUID().toString();
        State s = new State();
        store.put(id, s);
        ex.getResponseHeaders().add("Set-Cookie", "SID=" + id + "; Path=/; HttpOnly");
        return s;
    }

    private static State read(State s) {
        synchronized (s) {
            return s.copy();
        }
    }

    private static void write(State into, State from) {
        synchronized (into) {
            into.counter = from.counter;
            into.items = from.items;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(30);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String cookie(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Cookie");
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith("SID=")) {
                return p.substring(4);
            }
        }
        return null;
    }

    private static void answer(HttpExchange ex, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
        ex.close();
    }

    private static void status(HttpExchange ex, int status) throws IOException {
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
