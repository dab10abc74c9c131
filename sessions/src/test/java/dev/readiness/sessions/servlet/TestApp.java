package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SessionTooLargeException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.TreeSet;

/** A real Jetty 12 (ee10) on a loopback ephemeral port with the session filter and a small session servlet. */
final class TestApp implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;

    TestApp(Filter filter) throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.SESSIONS);
        ctx.setContextPath("/");
        ctx.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        ctx.addServlet(new ServletHolder(new SessionServlet()), "/*");
        server.setHandler(ctx);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    static final class SessionServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            String path = req.getPathInfo() == null ? req.getServletPath() : req.getServletPath() + req.getPathInfo();
            HttpSession s;
            switch (path) {
                case "/plain" -> resp.getWriter().print("hello");
                case "/counter" -> {
                    s = req.getSession();
                    Integer c = (Integer) s.getAttribute("counter");
                    int next = c == null ? 1 : c + 1;
                    s.setAttribute("counter", next);
                    resp.getWriter().print(next);
                }
                case "/read" -> {
                    s = req.getSession(false);
                    resp.getWriter().print(s == null ? "none" : String.valueOf(s.getAttribute("counter")));
                }
                case "/login" -> {
                    s = req.getSession();
                    req.changeSessionId();
                    s.setAttribute("user", req.getParameter("user"));
                    resp.getWriter().print(s.getId());
                }
                case "/whoami" -> {
                    s = req.getSession(false);
                    resp.getWriter().print(s == null ? "none" : String.valueOf(s.getAttribute("user")));
                }
                case "/logout" -> {
                    s = req.getSession(false);
                    if (s != null) {
                        s.invalidate();
                    }
                    resp.getWriter().print("bye");
                }
                case "/set" -> {
                    req.getSession().setAttribute(req.getParameter("name"), req.getParameter("value"));
                    resp.getWriter().print("ok");
                }
                case "/list/add" -> {
                    // As code written for in-memory sessions does it: the list is set once, then changed in place.
                    s = req.getSession();
                    @SuppressWarnings("unchecked")
                    java.util.List<String> items = (java.util.List<String>) s.getAttribute("items");
                    if (items == null) {
                        items = new java.util.ArrayList<>();
                        items.add(req.getParameter("item"));
                        s.setAttribute("items", items);
                    } else {
                        items.add(req.getParameter("item"));
                    }
                    resp.getWriter().print(String.join(",", items));
                }
                case "/list" -> {
                    s = req.getSession(false);
                    Object items = s == null ? null : s.getAttribute("items");
                    resp.getWriter().print(items == null ? "" : String.join(",", (java.util.List<String>) items));
                }
                case "/names" -> {
                    s = req.getSession(false);
                    resp.getWriter().print(s == null ? "none"
                            : String.join(",", new TreeSet<>(Collections.list(s.getAttributeNames()))));
                }
                case "/big" -> {
                    try {
                        req.getSession().setAttribute("big", "x".repeat(Integer.parseInt(req.getParameter("bytes"))));
                        resp.getWriter().print("stored");
                    } catch (SessionTooLargeException e) {
                        resp.sendError(413, e.getMessage());
                    }
                }
                default -> resp.sendError(404);
            }
        }
    }
}
