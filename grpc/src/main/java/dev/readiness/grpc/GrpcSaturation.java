package dev.readiness.grpc;

import dev.readiness.health.saturation.Saturation;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * A gRPC server's saturation for {@code readiness.saturation} (readiness-health's gauge and HAProxy agent), from
 * one of two sources:
 * <ul>
 *   <li>{@link #inFlight(GrpcStats, int)}: unary calls in flight plus streams open over a concurrency target, the
 *       number of concurrent calls one instance is sized for ({@code readiness.saturation.concurrency-target}).
 *       For grpc-java's default executor, which has no bound to read, and for asynchronous services whose calls
 *       hold no thread while they wait. Health calls and Watch streams are not counted.</li>
 *   <li>{@link #executor(ThreadPoolExecutor)}: the server's bounded executor ({@code serverBuilder.executor(pool)}):
 *       threads running a callback plus callbacks queued, over the threads it can run. For blocking services, whose
 *       calls hold a thread while they wait on a database.</li>
 * </ul>
 * <pre>
 * ThreadPoolExecutor pool = new ThreadPoolExecutor(32, 32, 60, SECONDS, new LinkedBlockingQueue&lt;&gt;());
 * Server server = stats.install(NettyServerBuilder.forPort(9090)).executor(pool).addService(...).build().start();
 * new SaturationMetrics(GrpcSaturation.executor(pool)).bindTo(meterRegistry);   // readiness_saturation
 * </pre>
 * Needs readiness-health on the class path (an optional dependency of this module). Like every source, a value
 * that cannot be read is NaN, never an exception.
 */
public final class GrpcSaturation {

    /** The source tag of {@link #inFlight}. */
    public static final String IN_FLIGHT = "grpc";
    /** The source tag of {@link #executor}. */
    public static final String EXECUTOR = "grpc-executor";

    private GrpcSaturation() {
    }

    /**
     * Calls in flight (unary calls running plus streams open) over {@code target}: 0 when idle, 1 at the target.
     *
     * @throws IllegalArgumentException when {@code target} is not positive
     */
    public static Saturation inFlight(GrpcStats stats, int target) {
        Objects.requireNonNull(stats, "stats");
        if (target < 1) {
            throw new IllegalArgumentException("concurrency target must be at least 1: " + target);
        }
        return new Source(IN_FLIGHT, "target=" + target) {
            @Override
            public double value() {
                return (double) (stats.callsInFlight() + stats.streamsOpen()) / target;
            }
        };
    }

    /**
     * Whether {@link #executor(ThreadPoolExecutor)} can read {@code executor}: a {@link ThreadPoolExecutor} with a
     * bounded number of threads (and at least one). grpc-java's default (a cached pool, unbounded) is not.
     */
    public static boolean supports(Executor executor) {
        if (!(executor instanceof ThreadPoolExecutor pool)) {
            return false;
        }
        int threads = capacity(pool);
        return threads > 0 && threads < Integer.MAX_VALUE;
    }

    /**
     * {@code (active threads + queued callbacks) / threads}: 0 when idle, 1 when every thread runs a callback, above
     * 1 when callbacks wait. The threads are the core size where the queue is unbounded (such a pool never grows
     * past it), else the maximum size.
     *
     * @throws IllegalArgumentException when the pool has no bound ({@link #supports} is false), naming what to use
     */
    public static Saturation executor(ThreadPoolExecutor executor) {
        Objects.requireNonNull(executor, "executor");
        if (!supports(executor)) {
            throw new IllegalArgumentException("the gRPC executor has no bound on its threads (" + executor
                    + "): give the server a bounded ThreadPoolExecutor, or use GrpcSaturation.inFlight with"
                    + " readiness.saturation.concurrency-target");
        }
        return new Source(EXECUTOR, "threads=" + capacity(executor)) {
            @Override
            public double value() {
                try {
                    return Saturation.ratio(executor.getActiveCount(), executor.getQueue().size(), capacity(executor));
                } catch (RuntimeException e) {
                    return Double.NaN;
                }
            }
        };
    }

    /** The threads {@code pool} can run at once: its core size while the queue takes everything, else its maximum. */
    private static int capacity(ThreadPoolExecutor pool) {
        java.util.concurrent.BlockingQueue<Runnable> queue = pool.getQueue();
        boolean unboundedQueue = (long) queue.remainingCapacity() + queue.size() >= Integer.MAX_VALUE;
        return unboundedQueue ? pool.getCorePoolSize() : pool.getMaximumPoolSize();
    }

    private abstract static class Source implements Saturation {
        private final String source;
        private final String detail;

        Source(String source, String detail) {
            this.source = source;
            this.detail = detail;
        }

        @Override
        public String source() {
            return source;
        }

        @Override
        public String toString() {
            return "GrpcSaturation[" + source + ", " + detail + "]";
        }
    }
}
