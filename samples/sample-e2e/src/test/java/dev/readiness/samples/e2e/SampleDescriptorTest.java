package dev.readiness.samples.e2e;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SampleDescriptorTest {

    static final List<String> DRAIN = List.of("draining", "stopped");

    @Test
    void keepsWhatItWasGivenAndCopiesTheDrainLog() {
        List<String> drain = new ArrayList<>(DRAIN);
        SampleDescriptor sample = new SampleDescriptor("hello from orders", Duration.ofSeconds(60), drain, 143);
        drain.clear();

        assertThat(sample.greeting()).isEqualTo("hello from orders");
        assertThat(sample.startTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(sample.drainLog()).containsExactly("draining", "stopped");
        assertThat(sample.exitAfterSigterm()).isEqualTo(143);
    }

    @Test
    void refusesABlankGreetingNamingIt() {
        assertThatThrownBy(() -> new SampleDescriptor(" ", Duration.ofSeconds(1), DRAIN, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("greeting").hasMessageContaining("' '");
        assertThatThrownBy(() -> new SampleDescriptor(null, Duration.ofSeconds(1), DRAIN, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("greeting");
    }

    @Test
    void refusesAStartTimeoutThatIsNotPositive() {
        assertThatThrownBy(() -> new SampleDescriptor("hi", Duration.ZERO, DRAIN, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startTimeout").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> new SampleDescriptor("hi", Duration.ofSeconds(-1), DRAIN, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> new SampleDescriptor("hi", null, DRAIN, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startTimeout");
    }

    @Test
    void refusesADrainLogWithNothingToLookFor() {
        assertThatThrownBy(() -> new SampleDescriptor("hi", Duration.ofSeconds(1), List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drainLog").hasMessageContaining("[]");
        assertThatThrownBy(() -> new SampleDescriptor("hi", Duration.ofSeconds(1), Arrays.asList("draining", null), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drainLog");
        assertThatThrownBy(() -> new SampleDescriptor("hi", Duration.ofSeconds(1), List.of("draining", ""), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drainLog");
        assertThatThrownBy(() -> new SampleDescriptor("hi", Duration.ofSeconds(1), null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drainLog");
    }

    @Test
    void refusesAnExitStatusNoProcessCanHave() {
        assertThat(new SampleDescriptor("hi", Duration.ofSeconds(1), DRAIN, 255).exitAfterSigterm()).isEqualTo(255);
        assertThatThrownBy(() -> new SampleDescriptor("hi", Duration.ofSeconds(1), DRAIN, 256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exitAfterSigterm").hasMessageContaining("256");
        assertThatThrownBy(() -> new SampleDescriptor("hi", Duration.ofSeconds(1), DRAIN, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }
}
