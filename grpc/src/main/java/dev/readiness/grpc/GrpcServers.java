package dev.readiness.grpc;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

import java.util.concurrent.TimeUnit;

/** Applies {@link GrpcSettings} to a grpc-java Netty server builder. */
public final class GrpcServers {

    /**
     * Pings from clients no more often than this are allowed: {@link GrpcChannels} pings every 30 s, and
     * grpc-java's default (5 min) would answer such a client with GOAWAY {@code too_many_pings}.
     */
    static final long PERMIT_KEEP_ALIVE_SECONDS = 20;

    private GrpcServers() {
    }

    /**
     * Sets connection age and its grace (grpc-java adds &plusmn;10 % jitter to the age), and lets clients send
     * keep-alive pings every 20 s, also without calls.
     *
     * @return {@code builder}
     */
    public static NettyServerBuilder configure(NettyServerBuilder builder, GrpcSettings settings) {
        return builder
                .maxConnectionAge(settings.maxConnectionAge().toNanos(), TimeUnit.NANOSECONDS)
                .maxConnectionAgeGrace(settings.maxConnectionAgeGrace().toNanos(), TimeUnit.NANOSECONDS)
                .permitKeepAliveTime(PERMIT_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true);
    }
}
