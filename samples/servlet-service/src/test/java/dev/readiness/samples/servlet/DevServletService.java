package dev.readiness.samples.servlet;

import dev.readiness.core.config.ReadinessConfig;
import org.eclipse.microprofile.config.Config;

import java.util.Map;

/**
 * The sample's development run, with everything on and nothing to set up ({@code samples/run.sh --servlet}
 * from the repository root runs it on the test class path). When no Redis is configured
 * ({@code READINESS_SESSIONS_REDIS_URI}), it starts a local development Redis, says so, and runs the service
 * with it; the Redis is registered with the drain first, so it is stopped last. It lives in the test sources:
 * the production jar holds no development Redis, and without a Redis it stays unready (see
 * {@link ServletService}).
 */
public final class DevServletService {

    private DevServletService() {
    }

    public static void main(String[] args) throws Exception {
        Config config = ReadinessConfig.defaults();
        if (SampleSettings.from(config).redisUri().isPresent()) {
            ServletService.run(config, Map.of());
            return;
        }
        DevRedis dev = DevRedis.start();
        ServletService.run(dev.configure(config), Map.of("development-redis", dev));
    }
}
