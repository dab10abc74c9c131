package dev.readiness.core.check;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckResultTest {

    @Test
    void aCheckCannotReportUnknown() {
        assertThatThrownBy(() -> new CheckResult(Status.UNKNOWN, "", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UNKNOWN is reserved");
    }

    @Test
    void downFromAThrowableNamesTypeAndMessage() {
        assertThat(CheckResult.down(new IllegalStateException("closed")).message()).isEqualTo("IllegalStateException: closed");
        assertThat(CheckResult.down(new RuntimeException()).message()).isEqualTo("RuntimeException");
        assertThat(CheckResult.down((Throwable) null).message()).isEqualTo("failed");
    }

    @Test
    void detailsAreCopiedAndImmutable() {
        Map<String, Object> d = new HashMap<>();
        d.put("active", 3);
        CheckResult r = new CheckResult(Status.UP, null, d);
        d.put("idle", 1);
        assertThat(r.details()).containsOnlyKeys("active");
        assertThat(r.message()).isEmpty();
        assertThatThrownBy(() -> r.details().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(r.withDetail("idle", 2).details()).containsEntry("active", 3).containsEntry("idle", 2);
    }
}
