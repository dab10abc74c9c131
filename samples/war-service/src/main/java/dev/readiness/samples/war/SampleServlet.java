package dev.readiness.samples.war;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import dev.readiness.core.reload.ConfigMapWatcher;
import dev.readiness.war.ReadinessWar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Optional;

/**
 * The sample contract on the application port, served from a WAR (declared in {@code WEB-INF/web.xml}):
 * {@code GET /}, {@code GET /session/counter}, {@code GET /session/read}, {@code GET /session/logout},
 * {@code GET /session/list/add?item=X}, {@code GET /session/list}, {@code GET /slow?ms=N},
 * {@code GET /config/{key}}. Answers are plain text.
 *
 * <p>{@code /session/list/add} keeps an {@link ArrayList} in the session the way code written for in-memory
 * sessions does: the request that creates the list calls {@code setAttribute} once, every later one only
 * changes the list that {@code getAttribute} returned, in place.
 */
public final class SampleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Upper bound of {@code /slow}: longer than any drain timeout worth testing, short enough not to pin threads. */
    static final int MAX_SLOW_MS = 60_000;
    static final String COUNTER = "counter";
    static final String LIST = "list";
    /** Bounds of {@code /session/list/add}, so that one client cannot grow its session without limit. */
    static final int MAX_ITEM_LENGTH = 200;
    static final int MAX_ITEMS = 1_000;

    /** The watched ConfigMap directory; empty when {@code readiness.config.dir} is not set. */
    private transient Optional<ConfigMapWatcher> config = Optional.empty();

    /** Declared in web.xml; readiness-war wired the context before this servlet is created. */
    @Override
    public void init() {
        config = ReadinessWar.of(getServletContext()).configMap();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        switch (path) {
            case "/" -> text(resp, 200, "hello from war-service");
            case "/session/counter" -> {
                HttpSession session = req.getSession(true);
                int next = counter(session) + 1;
                session.setAttribute(COUNTER, next);
                text(resp, 200, Integer.toString(next));
            }
            case "/session/read" -> {
                HttpSession session = req.getSession(false);
                text(resp, 200, Integer.toString(session == null ? 0 : counter(session)));
            }
            case "/session/logout" -> {
                HttpSession session = req.getSession(false);
                if (session != null) {
                    session.invalidate();
                }
                text(resp, 200, "logged out");
            }
            case "/session/list/add" -> addToList(req, resp);
            case "/session/list" -> {
                HttpSession session = req.getSession(false);
                ArrayList<String> list = session == null ? null : list(session);
                text(resp, 200, list == null ? "" : joined(list));
            }
            case "/slow" -> slow(req, resp);
            default -> {
                if (path.startsWith("/config/")) {
                    // One read of the snapshot in force: never a mix of two ConfigMap generations.
                    String key = path.substring("/config/".length());
                    Optional<String> value = config.flatMap(w -> w.current().get(key));
                    if (value.isPresent()) {
                        text(resp, 200, value.get());
                    } else {
                        text(resp, 404, "no configuration key '" + key + "'");
                    }
                } else {
                    text(resp, 404, "not found");
                }
            }
        }
    }

    private static int counter(HttpSession session) {
        return session.getAttribute(COUNTER) instanceof Integer n ? n : 0;
    }

    private static void addToList(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String item = req.getParameter("item");
        if (item == null || item.isBlank()) {
            text(resp, 400, "item is required: GET /session/list/add?item=X");
            return;
        }
        if (item.length() > MAX_ITEM_LENGTH) {
            text(resp, 400, "item must be at most " + MAX_ITEM_LENGTH + " characters, was " + item.length());
            return;
        }
        HttpSession session = req.getSession(true);
        ArrayList<String> list = list(session);
        if (list == null) {
            list = new ArrayList<>();
            list.add(item);
            session.setAttribute(LIST, list);
            text(resp, 200, joined(list));
            return;
        }
        // Deliberately no setAttribute: the change is made to the object the session handed out.
        String items;
        synchronized (list) { // two requests of one user on this instance may hold the same list
            if (list.size() >= MAX_ITEMS) {
                items = null;
            } else {
                list.add(item);
                items = String.join(",", list);
            }
        }
        if (items == null) {
            text(resp, 400, "the list holds at most " + MAX_ITEMS + " items");
        } else {
            text(resp, 200, items);
        }
    }

    @SuppressWarnings("unchecked") // only this servlet writes the attribute, always an ArrayList<String>
    private static ArrayList<String> list(HttpSession session) {
        return session.getAttribute(LIST) instanceof ArrayList<?> l ? (ArrayList<String>) l : null;
    }

    private static String joined(ArrayList<String> list) {
        synchronized (list) {
            return String.join(",", list);
        }
    }

    private static void slow(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String raw = req.getParameter("ms");
        int ms;
        try {
            ms = Integer.parseInt(raw == null ? "" : raw.trim());
        } catch (NumberFormatException e) {
            text(resp, 400, "ms must be a whole number of milliseconds from 0 to " + MAX_SLOW_MS + ", was '" + raw + "'");
            return;
        }
        if (ms < 0 || ms > MAX_SLOW_MS) {
            text(resp, 400, "ms must be a whole number of milliseconds from 0 to " + MAX_SLOW_MS + ", was '" + raw + "'");
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            text(resp, 503, "interrupted");
            return;
        }
        text(resp, 200, "slept " + ms + " ms");
    }

    private static void text(HttpServletResponse resp, int status, String body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/plain;charset=utf-8");
        resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
