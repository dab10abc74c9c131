package dev.readiness.core.drain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightTrackerTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final InFlightTracker tracker = new InFlightTracker(now::get);

    @Test
    void countsExactlyAndEndIsIdempotent() {
        InFlightTracker.Request a = tracker.begin();
        InFlightTracker.Request b = tracker.begin();
        assertThat(tracker.inFlight()).isEqualTo(2);
        a.end();
        a.end();
        assertThat(tracker.inFlight()).isEqualTo(1);
        assertThat(tracker.accepted()).isEqualTo(2);
        assertThat(tracker.completed()).isEqualTo(1);
        b.close();
        assertThat(tracker.inFlight()).isZero();
        assertThat(tracker.completed()).isEqualTo(2);
    }

    @Test
    void oldestAgeIsTheAgeOfTheEarliestRunningRequest() {
        assertThat(tracker.oldestAge()).isZero();
        InFlightTracker.Request first = tracker.begin();
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        tracker.begin();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(tracker.oldestAge()).isEqualTo(Duration.ofSeconds(4));
        first.end();
        assertThat(tracker.oldestAge()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void awaitIdleReturnsAsSoonAsTheLastRequestEnds() throws Exception {
        InFlightTracker.Request r = tracker.begin();
        CompletableFuture<Boolean> idle = CompletableFuture.supplyAsync(() -> {
            try {
                return tracker.awaitIdle(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(idle).isNotDone();
        r.end();
        assertThat(idle.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void awaitIdleGivesUpAfterTheTimeout() throws Exception {
        tracker.begin();
        assertThat(tracker.awaitIdle(Duration.ofMillis(30))).isFalse();
        assertThat(tracker.inFlight()).isEqualTo(1);
    }

    @Test
    void closeConnectionsIsSetOnceAndStays() {
        assertThat(tracker.closeConnections()).isFalse();
        tracker.startClosingConnections();
        assertThat(tracker.closeConnections()).isTrue();
    }
}
