package dev.readiness.gc.runtime;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.Status;
import dev.readiness.core.config.ReadinessConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GcPressureCheckTest {

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final AtomicReference<GcSampler.Sample> sample = new AtomicReference<>(new GcSampler.Sample(0, 0, 0.3));
    final GcPressureCheck check = new GcPressureCheck(new GcPressureSettings(Duration.ofSeconds(60), 50, 95),
            sample::get, nanos::get);

    /** Advances the clock by {@code seconds}, adding {@code pauseMs} of GC and {@code gcs} collections. */
    CheckResult after(int seconds, long pauseMs, long gcs, double heapAfterGc) {
        nanos.addAndGet(Duration.ofSeconds(seconds).toNanos());
        GcSampler.Sample s = sample.get();
        sample.set(new GcSampler.Sample(s.pauseMillis() + pauseMs, s.collections() + gcs, heapAfterGc));
        return check.check();
    }

    @Test
    void staysUpUntilAWholeWindowWasObserved() {
        assertThat(check.check().status()).isEqualTo(Status.UP);
        CheckResult r = after(30, 29_000, 100, 0.99);
        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.details().get("window")).asString().contains("filling: 30s of 60s");
    }

    @Test
    void goesDownWhenGcOverheadStaysAboveTheThresholdForTheWindow() {
        check.check();
        for (int i = 0; i < 5; i++) {
            assertThat(after(10, 6_000, 20, 0.5).status()).isEqualTo(Status.UP);
        }
        CheckResult r = after(10, 6_000, 20, 0.5);
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).contains("GC pauses took 60% of the last 60s (limit 50%)");
        assertThat(check.lastOverhead()).isEqualTo(0.6);
    }

    @Test
    void aShortGcSpikeInsideAnOtherwiseCalmWindowStaysUp() {
        check.check();
        after(10, 9_500, 5, 0.6);
        for (int i = 0; i < 6; i++) {
            assertThat(after(10, 100, 2, 0.4).status()).isEqualTo(Status.UP);
        }
    }

    @Test
    void goesDownWhenHeapAfterGcStaysNearTheMaximumWhileCollectionsRun() {
        sample.set(new GcSampler.Sample(0, 0, 0.97));
        check.check();
        for (int i = 0; i < 5; i++) {
            after(10, 1_000, 3, 0.97);
        }
        CheckResult r = after(10, 1_000, 3, 0.98);
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).contains("heap after GC stayed above 95% of the maximum for 60s while 18 collections ran");
    }

    @Test
    void oneGoodCollectionInTheWindowKeepsItUp() {
        sample.set(new GcSampler.Sample(0, 0, 0.97));
        check.check();
        after(10, 100, 3, 0.97);
        after(10, 100, 3, 0.60);
        for (int i = 0; i < 5; i++) {
            assertThat(after(10, 100, 3, 0.97).status()).isEqualTo(Status.UP);
        }
        // the good reading has left the window now
        assertThat(after(10, 100, 3, 0.97).status()).isEqualTo(Status.DOWN);
    }

    @Test
    void aFullHeapWithoutCollectionsIsNotPressure() {
        sample.set(new GcSampler.Sample(0, 0, 0.99));
        check.check();
        for (int i = 0; i < 7; i++) {
            assertThat(after(10, 0, 0, 0.99).status()).isEqualTo(Status.UP);
        }
    }

    @Test
    void recoversWhenThePressureEnds() {
        check.check();
        for (int i = 0; i < 6; i++) {
            after(10, 8_000, 20, 0.5);
        }
        assertThat(check.check().status()).isEqualTo(Status.DOWN);
        for (int i = 0; i < 6; i++) {
            after(10, 50, 1, 0.3);
        }
        assertThat(check.check().status()).isEqualTo(Status.UP);
    }

    @Test
    void theRealSamplerReadsThisJvm() {
        GcSampler.Sample s = GcSampler.platform().sample();
        assertThat(s.pauseMillis()).isNotNegative();
        assertThat(s.collections()).isNotNegative();
        assertThat(Double.isNaN(s.heapAfterGc()) || (s.heapAfterGc() >= 0 && s.heapAfterGc() <= 1)).isTrue();
        assertThat(new GcPressureCheck(GcPressureSettings.defaults()).check().status()).isEqualTo(Status.UP);
    }

    @Test
    void settingsAreValidatedNamingTheValue() {
        assertThatThrownBy(() -> new GcPressureSettings(Duration.ZERO, 50, 95))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessage("readiness.gc.pressure.window=0s is invalid: must be at least 1s and at most 1d");
        assertThatThrownBy(() -> new GcPressureSettings(Duration.ofSeconds(1), 0, 95))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessage("readiness.gc.pressure.overhead-percent=0 is invalid: must be 1..100");
        assertThatThrownBy(() -> new GcPressureSettings(Duration.ofSeconds(1), 50, 101))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessage("readiness.gc.pressure.heap-after-gc-percent=101 is invalid: must be 1..100");
    }

    @Test
    void builderRefusesTheSubSecondWindowTheMappingRefuses() {
        // Before, only the SmallRye mapping required 1s; the record took 500ms from any other front end.
        assertThatThrownBy(() -> new GcPressureSettings(Duration.ofMillis(500), 50, 95))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessage("readiness.gc.pressure.window=500ms is invalid: must be at least 1s and at most 1d");
    }
}
