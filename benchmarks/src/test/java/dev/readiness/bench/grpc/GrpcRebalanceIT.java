package dev.readiness.bench.grpc;

import dev.readiness.grpc.GrpcSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real servers behind a real round-robin TCP proxy (kube-proxy's part), 8 long-lived channels with grpc-java's
 * defaults, two servers added to the proxy: with readiness' connection age each server carries at least a quarter
 * of the calls within max-connection-age + grace + 10 s, and no call fails; with grpc-java's defaults the added
 * servers get nothing.
 */
class GrpcRebalanceIT {

    @Test
    void connectionAgeSpreadsLongLivedChannelsOverAddedServersWithoutAFailedCall() throws Exception {
        GrpcSettings age = GrpcSettings.builder().maxConnectionAge(Duration.ofSeconds(2))
                .maxConnectionAgeGrace(Duration.ofSeconds(1)).build();
        GrpcRebalance.Result ours = GrpcRebalance.run(age, 8);
        GrpcRebalance.Result defaults = GrpcRebalance.run(null, 8);
        System.out.println("readiness:          " + ours.summary());
        System.out.println("grpc-java defaults: " + defaults.summary());

        assertThat(ours.minShare()).as(ours.summary()).isGreaterThanOrEqualTo(0.25);
        assertThat(ours.failed()).as(ours.summary()).isZero();
        assertThat(ours.calls()).as("8 channels at 10 calls/s for about 15 s").isGreaterThan(500);
        assertThat(defaults.minShareOfAddedServers()).as(defaults.summary()).isZero();
        assertThat(defaults.shares().get("first")).isEqualTo(1.0);
        assertThat(defaults.failed()).isZero();
    }
}
