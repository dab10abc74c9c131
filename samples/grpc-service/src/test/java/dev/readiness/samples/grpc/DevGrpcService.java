package dev.readiness.samples.grpc;

import dev.readiness.core.config.ReadinessConfig;
import org.eclipse.microprofile.config.Config;

import java.util.Map;

/**
 * The gRPC sample's development run, with everything on and nothing to set up ({@code samples/run.sh --grpc} from
 * the repository root runs it on the test class path). When no Redis is configured
 * ({@code READINESS_SESSIONS_REDIS_URI}), it starts a local development Redis, says so, and runs the service with
 * it; the Redis is registered with the drain first, so it is stopped last. It lives in the test sources: the
 * production jar holds no development Redis, and without a Redis its degraded {@code redis} check says so (see
 * {@link GrpcService}).
 */
public final class DevGrpcService {

    private DevGrpcService() {
    }

    public static void main(String[] args) throws Exception {
        Config config = ReadinessConfig.defaults();
        if (GrpcSampleSettings.from(config).redisUri().isPresent()) {
            GrpcService.run(config, Map.of());
            return;
        }
        DevRedis dev = DevRedis.start();
        GrpcService.run(dev.configure(config), Map.of("development-redis", dev));
    }
}
