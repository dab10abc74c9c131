package dev.readiness.health.check.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;

/**
 * Readiness of a HikariCP pool: the pool's own figures from its MXBean, then a validation on a borrowed
 * connection, bounded by the check's timeout.
 * <ul>
 *   <li>Borrowing waits at most the timeout less a margin (a quarter of it, at most 250 ms; HikariCP's
 *       hard-timeout borrow), not the pool's {@code connectionTimeout} (30 s by default): an exhausted pool or a
 *       hung database is DOWN on time, with HikariCP's reason rather than the engine's "timed out".</li>
 *   <li>After a database outage the pool's new connections come from HikariCP's one creator thread, which backs
 *       off between failed attempts up to 5 s (fixed in HikariCP): with the application borrowing, the check is
 *       UP within milliseconds of the pool's first new connection, which may come up to 5 s after the database
 *       is back.</li>
 *   <li>The validation runs the pool's {@code connectionTestQuery} (or the one given to
 *       {@link #validationQuery(String)}) with the connection's network timeout set to what is left of the
 *       timeout, in milliseconds. Without a query it calls {@link Connection#isValid(int)}, whose bound is whole
 *       seconds; the engine still counts the check DOWN at its timeout.</li>
 *   <li>Details: {@code active}, {@code idle}, {@code total}, {@code waiting} (threads awaiting a connection),
 *       {@code max}.</li>
 * </ul>
 */
public final class HikariPoolCheck implements DependencyCheck {

    private final HikariDataSource dataSource;
    private final String validationQuery;

    private HikariPoolCheck(HikariDataSource dataSource, String validationQuery) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.validationQuery = validationQuery;
    }

    /** A check of {@code dataSource}, validating with its {@code connectionTestQuery} or JDBC4 isValid. */
    public static HikariPoolCheck of(HikariDataSource dataSource) {
        return new HikariPoolCheck(dataSource, null);
    }

    /** This check, validating with {@code query} (for example {@code SELECT 1}). */
    public HikariPoolCheck validationQuery(String query) {
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("validation query must not be blank, was '" + query + "'");
        }
        return new HikariPoolCheck(dataSource, query);
    }

    @Override
    public CheckResult check(Duration timeout) throws SQLException {
        if (dataSource.isClosed()) {
            return CheckResult.down("pool " + dataSource.getPoolName() + " is closed");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
        int waitingBefore = pool == null ? 0 : pool.getThreadsAwaitingConnection();
        try (Connection c = borrow(pool, timeout)) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return withFigures(CheckResult.down("borrowing a connection took the whole timeout of "
                        + timeout.toMillis() + " ms"), pool);
            }
            String query = validationQuery != null ? validationQuery : dataSource.getConnectionTestQuery();
            boolean valid;
            if (query != null) {
                c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, leftMs));
                try (Statement s = c.createStatement()) {
                    s.setQueryTimeout((int) Math.max(1, (leftMs + 999) / 1000));
                    s.execute(query);
                }
                valid = true;
            } else {
                valid = c.isValid((int) Math.max(1, (leftMs + 999) / 1000));
            }
            CheckResult r = valid ? CheckResult.up() : CheckResult.down("connection failed validation");
            return withFigures(r, pool);
        } catch (SQLException e) {
            CheckResult r = CheckResult.down(e);
            if (waitingBefore > 0) {
                r = CheckResult.down(r.message() + " (" + waitingBefore + " threads were already waiting for a connection)");
            }
            return withFigures(r, pool);
        }
    }

    /**
     * How long a borrow may wait: the check's timeout less a margin (a quarter, at most 250 ms), so that a pool
     * with no connection to give reports HikariCP's own reason (the database's error, the pool's figures) before
     * the engine cuts the evaluation off at the timeout.
     */
    static long borrowMillis(Duration timeout) {
        long ms = timeout.toMillis();
        return Math.max(1, ms - Math.min(250, ms / 4));
    }

    private Connection borrow(HikariPoolMXBean pool, Duration timeout) throws SQLException {
        if (pool instanceof HikariPool p) {
            // Bounded by the check's timeout, not by the pool's connectionTimeout.
            return p.getConnection(borrowMillis(timeout));
        }
        // Pool not started yet (lazy HikariDataSource): this starts it; the engine bounds the wait.
        return dataSource.getConnection();
    }

    private CheckResult withFigures(CheckResult r, HikariPoolMXBean pool) {
        HikariPoolMXBean p = pool != null ? pool : dataSource.getHikariPoolMXBean();
        if (p == null) {
            return r;
        }
        return r.withDetail("active", p.getActiveConnections())
                .withDetail("idle", p.getIdleConnections())
                .withDetail("total", p.getTotalConnections())
                .withDetail("waiting", p.getThreadsAwaitingConnection())
                .withDetail("max", dataSource.getMaximumPoolSize());
    }

    @Override
    public String toString() {
        return "HikariPoolCheck{" + dataSource.getPoolName() + "}";
    }
}
