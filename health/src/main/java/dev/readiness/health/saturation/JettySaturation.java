package dev.readiness.health.saturation;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;

import java.util.Objects;

/**
 * Saturation of a Jetty 12 server on its {@link QueuedThreadPool}: utilized threads plus queued jobs, over the
 * threads left for requests ({@code maxThreads} less the threads the acceptors and selectors lease for good), so an
 * idle server reads 0, not the share its selectors hold. A server on virtual threads has no such pool: use
 * {@link ConcurrencySaturation} there ({@link #supports} says which).
 */
public final class JettySaturation implements Saturation {

    private final Server server;

    private JettySaturation(Server server) {
        this.server = server;
    }

    /** The saturation of {@code server}'s thread pool. */
    public static JettySaturation of(Server server) {
        return new JettySaturation(Objects.requireNonNull(server, "server"));
    }

    /** Whether {@code server} runs requests on a {@link QueuedThreadPool} of platform threads. */
    public static boolean supports(Server server) {
        return server.getThreadPool() instanceof QueuedThreadPool pool && pool.getVirtualThreadsExecutor() == null;
    }

    @Override
    public double value() {
        ThreadPool threads = server.getThreadPool();
        if (!(threads instanceof QueuedThreadPool pool) || !pool.isRunning()) {
            return Double.NaN;
        }
        return Saturation.ratio(pool.getUtilizedThreads(), pool.getQueueSize(),
                pool.getMaxThreads() - pool.getLeasedThreads());
    }

    @Override
    public String source() {
        return "jetty";
    }

    @Override
    public String toString() {
        return "JettySaturation[" + server + "]";
    }
}
