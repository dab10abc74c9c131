package dev.readiness.sessions.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One way for a response to commit per path. Each increments the counter {@code n} in the session and answers the
 * new value in {@code X-Counter}; where the way allows it, the response writes part of its body before it changes
 * the session, so that the save has to come from the operation that commits, not from the first byte.
 */
final class CommitPathServlet extends HttpServlet {

    /** Every path, in the order the matrix runs them. */
    static final List<String> PATHS = List.of("content-length", "content-length-long-writer", "content-length-header",
            "content-length-int-header", "buffer-full", "large-write", "flush", "flush-buffer", "close",
            "writer-close", "redirect", "error", "status-then-body", "async", "async-complete-without-body",
            "async-dispatch");

    static final int BODY = 64;
    private static final byte[] BYTES = "0123456789abcdef".repeat(BODY / 16).getBytes(StandardCharsets.US_ASCII);

    private final ExecutorService async = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "commit-path-async");
        t.setDaemon(true);
        return t;
    });

    @Override
    public void destroy() {
        async.shutdownNow();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI().substring(1);
        if (path.equals("async-dispatch") && req.getDispatcherType() == jakarta.servlet.DispatcherType.ASYNC) {
            // The dispatched half: changes the session and answers with the container completing after it.
            int next = increment(req);
            resp.setHeader("X-Counter", Integer.toString(next));
            resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        if (path.startsWith("async")) {
            AsyncContext ctx = req.startAsync();
            async.execute(() -> {
                try {
                    HttpServletResponse r = (HttpServletResponse) ctx.getResponse();
                    HttpServletRequest q = (HttpServletRequest) ctx.getRequest();
                    switch (path) {
                        case "async" -> {
                            int next = counter(q) + 1;
                            r.setHeader("X-Counter", Integer.toString(next));
                            r.setContentLength(BODY);
                            ServletOutputStream out = r.getOutputStream();
                            out.write(BYTES, 0, BODY / 2);
                            q.getSession().setAttribute("n", next);
                            out.write(BYTES, BODY / 2, BODY / 2);
                            ctx.complete();
                        }
                        case "async-complete-without-body" -> {
                            r.setHeader("X-Counter", Integer.toString(increment(q)));
                            ctx.complete();
                        }
                        case "async-dispatch" -> ctx.dispatch();
                        default -> throw new IllegalArgumentException(path);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return;
        }
        int next = counter(req) + 1;
        resp.setHeader("X-Counter", Integer.toString(next));
        HttpSession session = req.getSession();
        switch (path) {
            case "content-length" -> {
                resp.setContentLength(BODY);
                halves(resp.getOutputStream(), session, next);
            }
            case "content-length-long-writer" -> {
                resp.setContentType("text/plain;charset=utf-8");
                resp.setContentLengthLong(BODY);
                PrintWriter w = resp.getWriter();
                String text = new String(BYTES, StandardCharsets.US_ASCII);
                w.print(text.substring(0, BODY / 2));
                session.setAttribute("n", next);
                w.print(text.substring(BODY / 2));
            }
            case "content-length-header" -> {
                resp.setHeader("Content-Length", Integer.toString(BODY));
                halves(resp.getOutputStream(), session, next);
            }
            case "content-length-int-header" -> {
                resp.setIntHeader("Content-Length", BODY);
                halves(resp.getOutputStream(), session, next);
            }
            case "buffer-full" -> {
                resp.setBufferSize(1024);
                ServletOutputStream out = resp.getOutputStream();
                out.write(BYTES);
                session.setAttribute("n", next);
                byte[] more = new byte[16 * resp.getBufferSize()];
                Arrays.fill(more, (byte) 'x');
                for (int off = 0; off < more.length; off += 512) {
                    out.write(more, off, 512);
                }
            }
            case "large-write" -> {
                // One write larger than any container buffers before it writes through.
                ServletOutputStream out = resp.getOutputStream();
                out.write(BYTES);
                session.setAttribute("n", next);
                byte[] more = new byte[4 * resp.getBufferSize()];
                Arrays.fill(more, (byte) 'x');
                out.write(more);
            }
            case "flush" -> {
                ServletOutputStream out = resp.getOutputStream();
                out.write(BYTES);
                session.setAttribute("n", next);
                out.flush();
                out.write(BYTES);
            }
            case "flush-buffer" -> {
                resp.getWriter().print("a body");
                session.setAttribute("n", next);
                resp.flushBuffer();
            }
            case "close" -> {
                ServletOutputStream out = resp.getOutputStream();
                out.write(BYTES);
                session.setAttribute("n", next);
                out.close();
            }
            case "writer-close" -> {
                PrintWriter w = resp.getWriter();
                w.println("a body");
                session.setAttribute("n", next);
                w.close();
            }
            case "redirect" -> {
                resp.getOutputStream().write(BYTES);
                session.setAttribute("n", next);
                resp.sendRedirect("/elsewhere");
            }
            case "error" -> {
                resp.getOutputStream().write(BYTES);
                session.setAttribute("n", next);
                resp.sendError(HttpServletResponse.SC_CONFLICT, "a conflict");
            }
            case "status-then-body" -> {
                resp.setStatus(HttpServletResponse.SC_ACCEPTED);
                session.setAttribute("n", next);
                resp.setContentType("text/plain;charset=utf-8");
                resp.setContentLength(BODY);
                resp.getWriter().print(new String(BYTES, StandardCharsets.US_ASCII));
            }
            default -> resp.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    /** The status each path answers. */
    static int status(String path) {
        return switch (path) {
            case "redirect" -> HttpServletResponse.SC_FOUND;
            case "error" -> HttpServletResponse.SC_CONFLICT;
            case "status-then-body" -> HttpServletResponse.SC_ACCEPTED;
            case "async-dispatch" -> HttpServletResponse.SC_NO_CONTENT;
            default -> HttpServletResponse.SC_OK;
        };
    }

    private static void halves(ServletOutputStream out, HttpSession session, int next) throws IOException {
        out.write(BYTES, 0, BODY / 2);
        session.setAttribute("n", next);
        out.write(BYTES, BODY / 2, BODY / 2);
    }

    private static int counter(HttpServletRequest req) {
        return req.getSession().getAttribute("n") instanceof Integer n ? n : 0;
    }

    private static int increment(HttpServletRequest req) {
        int next = counter(req) + 1;
        req.getSession().setAttribute("n", next);
        return next;
    }
}
