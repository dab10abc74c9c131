package dev.readiness.spring.boot.autoconfigure.dependencies;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.ConnectionAware;
import dev.readiness.core.check.ConnectionSignals;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.health.check.redis.RedisPingCheck;
import dev.readiness.spring.boot.autoconfigure.CheckContributor;
import dev.readiness.spring.boot.autoconfigure.CheckRegistration;
import dev.readiness.spring.boot.autoconfigure.ReadinessProperties;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A readiness check ({@link RedisPingCheck}) for every {@link LettuceConnectionFactory} bean: {@code redis} for the
 * bean named {@code redisConnectionFactory} (Spring Boot's; the name of Boot's own indicator), {@code redis-<bean>}
 * for the others. The check PINGs over a dedicated connection of the factory's own client, so it sees Redis
 * itself, not a queue of the application's commands. The connection opens at the first evaluation (the factory
 * starts with the context's lifecycle, after checks are registered) and closes with the context. Cluster
 * clients are not checked here. Degraded (not required) unless named in {@code readiness.dependencies.required}:
 * every replica shares the Redis.
 * <p>
 * The check follows its connection's events: a loss that outlasts {@code readiness.checks.connection-grace} is DOWN
 * at once. Its reconnects do not wait for the client's backoff (Lettuce's default grows to 30 s between attempts):
 * an evaluation that finds the connection down opens a new one, so with {@code readiness.checks.recovery-interval}
 * the check sees Redis again within about a second of its return.
 */
final class RedisChecks implements CheckContributor, DisposableBean {

    private final ListableBeanFactory beans;
    private final CheckOptions defaults;
    private final ReadinessProperties.Dependencies settings;
    private final List<LazyPing> pings = new ArrayList<>();
    private List<CheckRegistration> checks;

    RedisChecks(ListableBeanFactory beans, CheckOptions defaults, ReadinessProperties.Dependencies settings) {
        this.beans = beans;
        this.defaults = defaults;
        this.settings = settings;
    }

    @Override
    public synchronized List<CheckRegistration> checks() {
        if (checks == null) {
            List<CheckRegistration> out = new ArrayList<>();
            for (Map.Entry<String, LettuceConnectionFactory> e
                    : beans.getBeansOfType(LettuceConnectionFactory.class, false, false).entrySet()) {
                if (e.getValue().isClusterAware()) {
                    continue;
                }
                LazyPing ping = new LazyPing(e.getValue());
                pings.add(ping);
                String name = checkName(e.getKey());
                out.add(CheckRegistration.readiness(name, ping,
                        defaults.toBuilder().required(settings.requires(name)).build()));
            }
            checks = List.copyOf(out);
        }
        return checks;
    }

    static String checkName(String beanName) {
        return "redisConnectionFactory".equals(beanName) ? "redis" : "redis-" + beanName;
    }

    @Override
    public synchronized void destroy() {
        pings.forEach(LazyPing::close);
    }

    /** Connects on first use, then PINGs on the same connection (Lettuce reconnects it by itself). */
    static final class LazyPing implements DependencyCheck, ConnectionAware {
        private final LettuceConnectionFactory factory;
        private StatefulRedisConnection<String, String> connection;
        private RedisPingCheck ping;
        private AutoCloseable events;
        private ConnectionSignals signals;
        private boolean closed;

        LazyPing(LettuceConnectionFactory factory) {
            this.factory = factory;
        }

        @Override
        public CheckResult check(Duration timeout) throws Exception {
            RedisPingCheck p;
            synchronized (this) {
                if (closed) {
                    return CheckResult.down("closed");
                }
                if (ping != null && !connection.isOpen()) {
                    // Reconnect now instead of at the client's next backoff step.
                    drop();
                }
                if (ping == null) {
                    AbstractRedisClient client = factory.getNativeClient();
                    if (!(client instanceof RedisClient redis)) {
                        return CheckResult.down("the Redis connection factory has not started");
                    }
                    connection = redis.connect();
                    connection.setTimeout(timeout);
                    ping = RedisPingCheck.of(connection);
                    if (signals != null) {
                        events = RedisPingCheck.forward(connection, signals);
                    }
                }
                p = ping;
            }
            return p.check(timeout);
        }

        @Override
        public synchronized AutoCloseable watch(ConnectionSignals s) {
            signals = s;
            if (connection != null && events == null) {
                events = RedisPingCheck.forward(connection, s);
            }
            return () -> {
                synchronized (LazyPing.this) {
                    signals = null;
                }
            };
        }

        private void drop() {
            if (events != null) {
                try {
                    events.close();
                } catch (Exception ignored) {
                    // removing a listener does not fail
                }
                events = null;
            }
            connection.closeAsync();
            connection = null;
            ping = null;
        }

        synchronized void close() {
            closed = true;
            if (connection != null) {
                drop();
            }
        }

        @Override
        public String toString() {
            return "redis PING via " + factory;
        }
    }
}
