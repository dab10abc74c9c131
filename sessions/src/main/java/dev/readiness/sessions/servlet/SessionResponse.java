package dev.readiness.sessions.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;

/**
 * Saves the session before anything this response does can commit it, so that a client holding a response knows
 * that every later request of the session, on any instance, sees what this request changed; and so that a failed
 * save can still become a 503 instead of a 200 for a write that did not happen.
 *
 * <p>When a container commits is its own choice. Tomcat and Jetty finish a response on the write that reaches its
 * declared content length; Tomcat commits when its buffer fills; Jetty writes a large write through before its
 * buffer is full (its aggregation size is below {@code getBufferSize()}) and closes the output when a content length
 * is set that the bytes already written reach. Counting bytes against the content length
 * and {@code getBufferSize()} would hold on some containers only. So every operation that can commit (a write to the
 * body through the stream or the writer, {@code flush}, {@code flushBuffer}, {@code close}, {@code sendError},
 * {@code sendRedirect}, a declared content length by any of its setters) first saves what the session has not
 * saved yet, as long as the response is not committed. A session without unsaved changes makes that check cost no
 * Redis call, so a request still saves once: the save moves from after the chain to before the first byte of the
 * body.
 *
 * <p>A change made after the response committed (a streamed response) is saved after the chain, when the response
 * completes.
 */
final class SessionResponse extends HttpServletResponseWrapper {

    private static final String CONTENT_LENGTH = "Content-Length";

    private final SessionRequest request;
    private ServletOutputStream out;
    private PrintWriter writer;

    SessionResponse(HttpServletResponse response, SessionRequest request) {
        super(response);
        this.request = request;
    }

    private void beforeCommit() {
        if (!isCommitted()) {
            request.commit();
        }
    }

    @Override
    public void setContentLength(int len) {
        beforeCommit();
        super.setContentLength(len);
    }

    @Override
    public void setContentLengthLong(long len) {
        beforeCommit();
        super.setContentLengthLong(len);
    }

    @Override
    public void setHeader(String name, String value) {
        if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
            beforeCommit();
        }
        super.setHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
            beforeCommit();
        }
        super.addHeader(name, value);
    }

    @Override
    public void setIntHeader(String name, int value) {
        if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
            beforeCommit();
        }
        super.setIntHeader(name, value);
    }

    @Override
    public void addIntHeader(String name, int value) {
        if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
            beforeCommit();
        }
        super.addIntHeader(name, value);
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        beforeCommit();
        super.sendError(sc, msg);
    }

    @Override
    public void sendError(int sc) throws IOException {
        beforeCommit();
        super.sendError(sc);
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        beforeCommit();
        super.sendRedirect(location);
    }

    @Override
    public void sendRedirect(String location, int sc) throws IOException {
        beforeCommit();
        super.sendRedirect(location, sc);
    }

    @Override
    public void sendRedirect(String location, boolean clearBuffer) throws IOException {
        beforeCommit();
        super.sendRedirect(location, clearBuffer);
    }

    @Override
    public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
        beforeCommit();
        super.sendRedirect(location, sc, clearBuffer);
    }

    @Override
    public void flushBuffer() throws IOException {
        beforeCommit();
        super.flushBuffer();
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (out == null) {
            out = new SavingOutputStream(super.getOutputStream());
        }
        return out;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            PrintWriter delegate = super.getWriter();
            // Every char reaches the container through SavingWriter, println's line separator too (PrintWriter
            // writes that straight to its Writer, past its own write methods).
            writer = new PrintWriter(new SavingWriter(delegate)) {
                @Override
                public boolean checkError() {
                    return super.checkError() || delegate.checkError();
                }
            };
        }
        return writer;
    }

    private final class SavingOutputStream extends ServletOutputStream {

        private final ServletOutputStream delegate;

        SavingOutputStream(ServletOutputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            delegate.setWriteListener(listener);
        }

        @Override
        public void write(int b) throws IOException {
            beforeCommit();
            delegate.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            beforeCommit();
            delegate.write(b, off, len);
        }

        @Override
        public void write(ByteBuffer buffer) throws IOException {
            beforeCommit();
            delegate.write(buffer);
        }

        @Override
        public void flush() throws IOException {
            beforeCommit();
            delegate.flush();
        }

        @Override
        public void close() throws IOException {
            beforeCommit();
            delegate.close();
        }
    }

    /** The container's writer swallows IOExceptions itself; a failed save is a RuntimeException and passes through. */
    private final class SavingWriter extends Writer {

        private final PrintWriter delegate;

        SavingWriter(PrintWriter delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(int c) {
            beforeCommit();
            delegate.write(c);
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            beforeCommit();
            delegate.write(cbuf, off, len);
        }

        @Override
        public void write(String str, int off, int len) {
            beforeCommit();
            delegate.write(str, off, len);
        }

        @Override
        public void flush() {
            beforeCommit();
            delegate.flush();
        }

        @Override
        public void close() {
            beforeCommit();
            delegate.close();
        }
    }
}
