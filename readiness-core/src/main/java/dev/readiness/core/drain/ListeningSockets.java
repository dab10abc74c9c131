package dev.readiness.core.drain;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Helps server adapters keep the promise of {@link DrainableServer#stopAccepting()}: new connections are refused
 * when it returns. Servers close a listening channel asynchronously (the kernel socket goes away when their
 * acceptor or selector thread lets go of it), so an adapter closes it, then waits here until a connect is
 * refused.
 */
public final class ListeningSockets {

    /** How long {@link #awaitRefused} waits by default: a closing listener takes milliseconds. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(2);

    private ListeningSockets() {
    }

    /**
     * Waits until a TCP connect to {@code host:port} is refused, or {@code wait} has passed.
     *
     * @param host the address the listener was bound to; a wildcard or {@code null} means loopback
     * @return whether connects are refused now
     */
    public static boolean awaitRefused(InetAddress host, int port, Duration wait) {
        if (port <= 0) {
            return true;
        }
        InetAddress target = host == null || host.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : host;
        InetSocketAddress address = new InetSocketAddress(target, port);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(address, 200);
            } catch (IOException refused) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** {@link #awaitRefused(InetAddress, int, Duration)} with a host name as servers report it. */
    public static boolean awaitRefused(String host, int port, Duration wait) {
        InetAddress address = null;
        if (host != null && !host.isBlank()) {
            try {
                address = InetAddress.getByName(host);
            } catch (IOException e) {
                address = null;
            }
        }
        return awaitRefused(address, port, wait);
    }
}
