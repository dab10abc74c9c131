package dev.readiness.health.saturation;

import org.apache.catalina.connector.Connector;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Saturation of a Tomcat connector with a platform-thread pool: busy threads plus the requests queued for a
 * thread, over the pool's {@code maxThreads}. A connector on virtual threads has no such pool: use
 * {@link ConcurrencySaturation} there ({@link #supports} says which).
 */
public final class TomcatSaturation implements Saturation {

    private final Connector connector;

    private TomcatSaturation(Connector connector) {
        this.connector = connector;
    }

    /** The saturation of {@code connector}'s worker pool. */
    public static TomcatSaturation of(Connector connector) {
        return new TomcatSaturation(Objects.requireNonNull(connector, "connector"));
    }

    /** Whether {@code connector} runs requests on a bounded pool of platform threads this source can read. */
    public static boolean supports(Connector connector) {
        return connector.getProtocolHandler() != null
                && connector.getProtocolHandler().getExecutor() instanceof ThreadPoolExecutor;
    }

    @Override
    public double value() {
        Executor executor = connector.getProtocolHandler() == null ? null : connector.getProtocolHandler().getExecutor();
        if (!(executor instanceof ThreadPoolExecutor pool)) {
            return Double.NaN;
        }
        return Saturation.ratio(pool.getActiveCount(), pool.getQueue().size(), pool.getMaximumPoolSize());
    }

    @Override
    public String source() {
        return "tomcat";
    }

    @Override
    public String toString() {
        return "TomcatSaturation[" + connector + "]";
    }
}
