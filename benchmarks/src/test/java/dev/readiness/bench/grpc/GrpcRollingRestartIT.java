package dev.readiness.bench.grpc;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rolling restarts of two real gRPC server processes under a real round_robin client, real SIGTERMs: readiness
 * fails no unary call and ends every stream cleanly; in the same run, plain grpc-java stopped with
 * {@code shutdown()} + {@code awaitTermination} leaves its open subscriptions to die with the process. Two restarts
 * of each server here, to keep the build short; the benchmark report runs ten of each.
 */
class GrpcRollingRestartIT {

    private static final GrpcRollingRestart.Settings SETTINGS = new GrpcRollingRestart.Settings(4, 100, 8,
            Duration.ofSeconds(1), Duration.ofSeconds(2), false);

    @Test
    void readinessFailsNoCallAndEndsEveryStreamCleanlyWherePlainGrpcJavaCutsItsStreams() throws Exception {
        GrpcRollingRestart.Result plain = GrpcRollingRestart.run("plain", SETTINGS);
        GrpcRollingRestart.Result ours = GrpcRollingRestart.run("readiness", SETTINGS);
        System.out.println("plain grpc-java: " + plain.summary());
        System.out.println("readiness:       " + ours.summary());

        assertThat(ours.restarts()).hasSize(4).allSatisfy(r -> assertThat(r.exitCode()).isZero());
        assertThat(ours.unarySent()).as("about 100 calls/s for the whole run").isGreaterThan(500);
        assertThat(ours.unaryFailed()).as(ours.summary()).isZero();
        assertThat(ours.unaryOk()).isEqualTo(ours.unarySent());
        assertThat(ours.streamsEnded()).as("streams ended by the restarts and by themselves").isGreaterThan(8);
        assertThat(ours.streamsUnclean()).as(ours.summary()).isZero();

        // The harness sees what goes wrong: the anchor's subscriptions outlive awaitTermination and die with the JVM.
        assertThat(plain.restarts()).hasSize(4);
        assertThat(plain.unarySent()).isGreaterThan(500);
        assertThat(plain.streamsUnclean()).as(plain.summary()).isPositive();
    }
}
