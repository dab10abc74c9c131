package dev.readiness.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Misbehaving HTTP clients on loopback, the slowloris kind a broken sidecar or scraper turns into: {@code count}
 * connections that each send the start of a request ({@code GET /livez HTTP/1.1}, a Host header and the name of
 * one more header), then one more byte of that header's value every {@code byteEvery}, and never finish. A
 * connection the server closes is opened again at its next turn, the way a client that retries keeps the
 * pressure on. One thread drives them all with non-blocking sockets, so 10,000 connections cost 10,000 file
 * descriptors and no more threads, and a server that stops accepting does not slow the others down.
 * Close to stop; everything stops with it.
 */
public final class SlowClients implements AutoCloseable {

    private static final byte[] START = "GET /livez HTTP/1.1\r\nHost: slow\r\nX-Slow: "
            .getBytes(StandardCharsets.US_ASCII);
    /** A connection the server has not accepted by then is given up and tried again at its next turn. */
    private static final long CONNECT_TIMEOUT_NANOS = Duration.ofSeconds(5).toNanos();

    private final InetSocketAddress target;
    private final SocketChannel[] channels;
    private final long[] connectStarted;
    private final long periodNanos;
    private final Thread driver;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong closedByServer = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private volatile boolean closed;

    private SlowClients(InetSocketAddress target, int count, Duration byteEvery) {
        this.target = target;
        this.channels = new SocketChannel[count];
        this.connectStarted = new long[count];
        this.periodNanos = byteEvery.toNanos();
        this.driver = new Thread(this::drive, "slow-clients-" + target.getPort());
        this.driver.setDaemon(true);
    }

    /**
     * Starts connecting {@code count} slow connections to {@code target} (returning once each connection was
     * started) and trickling.
     *
     * @throws IllegalArgumentException when count is negative or byteEvery is not positive
     */
    public static SlowClients open(InetSocketAddress target, int count, Duration byteEvery) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        if (byteEvery.isZero() || byteEvery.isNegative()) {
            throw new IllegalArgumentException("byteEvery must be positive, was " + byteEvery);
        }
        SlowClients clients = new SlowClients(target, count, byteEvery);
        for (int i = 0; i < count; i++) {
            clients.connect(i);
        }
        clients.driver.start();
        return clients;
    }

    /** Connections open now (connected, request started), as far as this side knows. */
    public int open() {
        return open.get();
    }

    /** Times the server closed one of the open connections (each was opened again). */
    public long closedByServer() {
        return closedByServer.get();
    }

    /** Connection attempts that failed or were not accepted within 5 s (the server's accept queue was full). */
    public long connectFailures() {
        return connectFailures.get();
    }

    private void connect(int i) {
        SocketChannel c = null;
        try {
            c = SocketChannel.open();
            c.configureBlocking(false);
            connectStarted[i] = System.nanoTime();
            channels[i] = c;
            if (c.connect(target)) {
                started(c);
            }
        } catch (IOException e) {
            connectFailures.incrementAndGet();
            closeQuietly(c);
            channels[i] = null;
        }
    }

    private void started(SocketChannel c) throws IOException {
        c.write(ByteBuffer.wrap(START));
        open.incrementAndGet();
    }

    private void drive() {
        ByteBuffer one = ByteBuffer.allocate(1);
        ByteBuffer sink = ByteBuffer.allocate(4096);
        long step = channels.length == 0 ? periodNanos : Math.max(1, periodNanos / channels.length);
        long next = System.nanoTime();
        while (!closed) {
            for (int i = 0; i < channels.length && !closed; i++) {
                next += step;
                long wait;
                while ((wait = next - System.nanoTime()) > 0 && !closed) {
                    LockSupport.parkNanos(wait);
                }
                SocketChannel c = channels[i];
                if (c == null) {
                    connect(i);
                    continue;
                }
                if (c.isConnectionPending()) {
                    try {
                        if (c.finishConnect()) {
                            started(c);
                        } else if (System.nanoTime() - connectStarted[i] > CONNECT_TIMEOUT_NANOS) {
                            throw new IOException("not accepted within 5 s");
                        }
                    } catch (IOException e) {
                        connectFailures.incrementAndGet();
                        closeQuietly(c);
                        connect(i);
                    }
                    continue;
                }
                try {
                    sink.clear();
                    // whatever the server answered (a 408, 400 or 431) is read and dropped; -1 is its close
                    if (c.read(sink) < 0) {
                        throw new IOException("closed by the server");
                    }
                    one.clear();
                    one.put((byte) 'a').flip();
                    c.write(one);
                } catch (IOException e) {
                    closedByServer.incrementAndGet();
                    open.decrementAndGet();
                    closeQuietly(c);
                    connect(i);
                }
            }
            if (channels.length == 0) {
                LockSupport.parkNanos(periodNanos);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        driver.interrupt();
        try {
            driver.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SocketChannel c : channels) {
            closeQuietly(c);
        }
        open.set(0);
    }

    private static void closeQuietly(SocketChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing: nothing left to do
            }
        }
    }
}
