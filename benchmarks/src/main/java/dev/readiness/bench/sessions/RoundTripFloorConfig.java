package dev.readiness.bench.sessions;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The floor for any Redis-backed session store: the container's in-memory sessions plus the bare Redis round trips
 * the issue allows, and nothing else. Every request to {@code /session/counter} makes two (a GET and a SET of one
 * small key: the load and the write), every other request one GET, each awaited on the request thread through
 * Lettuce's async API, as readiness' store does. No encoding, no scripts, no cookie: what is left is the cost of the
 * round trips themselves on this machine (the hand-off to Netty's event loop and back, the system calls, and
 * redis-server's share of the same CPUs). No session store that makes these round trips can be faster.
 */
@Configuration(proxyBeanMethods = false)
public class RoundTripFloorConfig {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final byte[] KEY = "floor".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUE = "1".getBytes(StandardCharsets.US_ASCII);

    @Bean(destroyMethod = "close")
    RoundTrips roundTrips(Environment env) {
        return new RoundTrips(env.getRequiredProperty("readiness.sessions.redis.uri"));
    }

    @Bean
    FilterRegistrationBean<Filter> roundTripFilter(RoundTrips redis) {
        Filter filter = (ServletRequest request, ServletResponse response, FilterChain chain) -> {
            redis.get();
            if (((HttpServletRequest) request).getRequestURI().equals("/session/counter")) {
                redis.set();
            }
            chain.doFilter(request, response);
        };
        FilterRegistrationBean<Filter> bean = new FilterRegistrationBean<>(filter);
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
        bean.addUrlPatterns("/*");
        return bean;
    }

    /** One Lettuce connection; each call one awaited command. */
    static final class RoundTrips implements AutoCloseable {

        private final RedisClient client;
        private final StatefulRedisConnection<byte[], byte[]> connection;
        private final RedisAsyncCommands<byte[], byte[]> async;

        RoundTrips(String uri) {
            RedisURI u = RedisURI.create(uri);
            u.setTimeout(TIMEOUT);
            client = RedisClient.create(u);
            connection = client.connect(ByteArrayCodec.INSTANCE);
            async = connection.async();
        }

        void get() throws ServletException {
            await(async.get(KEY));
        }

        void set() throws ServletException {
            await(async.set(KEY, VALUE));
        }

        private static void await(io.lettuce.core.RedisFuture<?> f) throws ServletException {
            try {
                LettuceFutures.awaitOrCancel(f, TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RuntimeException e) {
                throw new ServletException("Redis round trip failed", e);
            }
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
