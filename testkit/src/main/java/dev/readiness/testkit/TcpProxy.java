package dev.readiness.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that can misbehave on purpose: {@link #pause()} stops forwarding bytes in both
 * directions while keeping every connection open (a hung dependency: the client's writes succeed and no reply
 * comes), and {@link #delayReplies(Duration)} delays every chunk the upstream sends back (to count sequential
 * round trips by the latency they add). With {@link #addUpstream} it spreads connections over several upstreams
 * round-robin, one upstream per connection for its whole life, as kube-proxy does for a ClusterIP Service: an
 * upstream added later gets only connections opened after it was added.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final List<InetSocketAddress> upstreams = new CopyOnWriteArrayList<>();
    private final AtomicLong next = new AtomicLong();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean paused;
    private volatile long replyDelayNanos;
    private volatile boolean closed;
    private final AtomicLong connections = new AtomicLong();

    private TcpProxy(ServerSocket server, InetSocketAddress upstream) {
        this.server = server;
        this.upstreams.add(upstream);
    }

    /** Starts a proxy on a free loopback port forwarding to {@code host:port}. */
    public static TcpProxy start(String host, int port) throws IOException {
        ServerSocket s = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        TcpProxy proxy = new TcpProxy(s, new InetSocketAddress(host, port));
        Thread t = new Thread(proxy::acceptLoop, "tcp-proxy-accept-" + s.getLocalPort());
        t.setDaemon(true);
        t.start();
        return proxy;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Adds an upstream: connections accepted from now on are spread round-robin over every upstream. */
    public TcpProxy addUpstream(String host, int port) {
        upstreams.add(new InetSocketAddress(host, port));
        return this;
    }

    /** Connections accepted so far. */
    public long connections() {
        return connections.get();
    }

    /** Stops forwarding in both directions; connections stay open and new ones are accepted but get nothing. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        synchronized (gate) {
            paused = false;
            gate.notifyAll();
        }
    }

    /** Delays every chunk sent from upstream back to the client by {@code delay}. */
    public void delayReplies(Duration delay) {
        replyDelayNanos = delay.toNanos();
    }

    /** Closes every proxied connection (the peers see a reset or EOF) but keeps listening. */
    public void dropConnections() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    @Override
    public void close() {
        closed = true;
        resume();
        closeQuietly(server);
        dropConnections();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                connections.incrementAndGet();
                client.setTcpNoDelay(true);
                Socket up = new Socket();
                try {
                    up.connect(upstreams.get((int) (next.getAndIncrement() % upstreams.size())), 5000);
                    up.setTcpNoDelay(true);
                } catch (IOException e) {
                    closeQuietly(client);
                    closeQuietly(up);
                    continue;
                }
                sockets.add(client);
                sockets.add(up);
                pump(client, up, false);
                pump(up, client, true);
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean reply) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) != -1) {
                    awaitNotPaused();
                    long delay = reply ? replyDelayNanos : 0;
                    if (delay > 0) {
                        Thread.sleep(delay / 1_000_000, (int) (delay % 1_000_000));
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (SocketException ignored) {
                // closed by the other side or by dropConnections()
            } catch (IOException | InterruptedException ignored) {
                // the connection is gone either way
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-" + (reply ? "reply" : "request"));
        t.setDaemon(true);
        t.start();
    }

    private void awaitNotPaused() throws InterruptedException {
        if (!paused) {
            return;
        }
        synchronized (gate) {
            while (paused) {
                gate.wait();
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
