package dev.readiness.spring.boot.autoconfigure.scaling;

import dev.readiness.core.drain.InFlightTracker;
import dev.readiness.health.saturation.Saturation;
import dev.readiness.health.saturation.SaturationSettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which server is the saturation's source when an application has a web server, a gRPC server, or both. */
class ServerSaturationTest {

    private static final Saturation POOL = Saturation.of("tomcat", () -> 0.5);
    private static final Saturation GRPC = Saturation.of("grpc", () -> 0.25);

    private static SaturationSettings target(Integer target) {
        SaturationSettings.Builder b = SaturationSettings.builder();
        if (target != null) {
            b.concurrencyTarget(target);
        }
        return b.build();
    }

    @Test
    void theWebServerReportedFirstIsTheSourceAndALaterGrpcServerChangesNothing() {
        ServerSaturation s = new ServerSaturation(target(null), new InFlightTracker());
        List<Saturation> found = new ArrayList<>();
        s.whenFound(found::add);
        s.serverStarted("TomcatWebServer", 8080, Optional.of(POOL));
        s.grpcServerStarted(t -> GRPC);
        assertThat(found).containsExactly(POOL);
        assertThat(s.source()).isEqualTo("tomcat");
        assertThat(s.value()).isEqualTo(0.5);
        assertThat(s.port()).isEqualTo(8080);
    }

    @Test
    void aGrpcServerAloneReadsItsCallsOverTheTarget() {
        ServerSaturation s = new ServerSaturation(target(8), new InFlightTracker());
        List<Integer> targets = new ArrayList<>();
        s.grpcServerStarted(t -> {
            targets.add(t);
            return GRPC;
        });
        assertThat(targets).containsExactly(8);
        assertThat(s.found()).contains(GRPC);
        assertThat(s.port()).as("a gRPC port is not one for the HTTP warm-up").isEqualTo(-1);
    }

    @Test
    void aWebServerAfterTheGrpcServerKeepsTheSourceButRecordsItsPortForTheWarmUp() {
        ServerSaturation s = new ServerSaturation(target(8), new InFlightTracker());
        s.grpcServerStarted(t -> GRPC);
        s.serverStarted("TomcatWebServer", 8080, Optional.of(POOL));
        assertThat(s.found()).contains(GRPC);
        assertThat(s.port()).isEqualTo(8080);
    }

    @Test
    void withoutATargetAGrpcServerHasNoSourceAndNothingIsDecidedTwice() {
        ServerSaturation s = new ServerSaturation(target(null), new InFlightTracker());
        s.grpcServerStarted(t -> GRPC);
        s.serverStarted("TomcatWebServer", 8080, Optional.of(POOL));
        assertThat(s.found()).isEmpty();
        assertThat(s.source()).isEqualTo("none");
        assertThat(s.value()).isNaN();
    }

    @Test
    void turnedOffNothingIsASourceEvenWithATarget() {
        ServerSaturation s = new ServerSaturation(SaturationSettings.builder().enabled(false).concurrencyTarget(8)
                .build(), new InFlightTracker());
        s.grpcServerStarted(t -> GRPC);
        assertThat(s.found()).isEmpty();
    }
}
