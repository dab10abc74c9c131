package dev.readiness.core.listen;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.check.LocalCheck;
import dev.readiness.core.check.Status;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ListenQueueCheckTest {

    @TempDir
    Path tmp;

    @Test
    void isDownWhileOverflowsGrowAndUpWhenTheyStop() throws IOException {
        Path root = ProcTrees.copy(ProcTrees.LINUX_3_10, tmp);
        ListenQueueCheck check = new ListenQueueCheck(probe(root, false));

        assertThat(check.check(Duration.ofSeconds(1)).status()).as("first look is the baseline").isEqualTo(Status.UP);

        setOverflows(root, 1600);
        CheckResult down = check.check(Duration.ofSeconds(1));
        assertThat(down.status()).isEqualTo(Status.DOWN);
        assertThat(down.message()).isEqualTo("accept queue overflowed: 77 connections dropped since the last check");
        assertThat(down.details()).containsEntry("overflows", 77L).containsEntry("maxQueueDepth", 129)
                .containsEntry("effectiveBacklog", 100);

        CheckResult up = check.check(Duration.ofSeconds(1));
        assertThat(up.status()).isEqualTo(Status.UP);
        assertThat(up.details()).containsEntry("overflows", 0L);
    }

    @Test
    void staysUpWhenTheCountersCannotBeRead() {
        ListenQueueCheck check = new ListenQueueCheck(probe(tmp.resolve("absent"), false));

        CheckResult r = check.check(Duration.ofSeconds(1));

        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.message()).startsWith("listen queue unknown:").contains("netstat");
    }

    @Test
    void isNeverALivenessCheck() {
        // HealthRegistry.liveness accepts only LocalCheck, so this check cannot be passed to it
        assertThat(LocalCheck.class.isAssignableFrom(ListenQueueCheck.class)).isFalse();
        assertThat(DependencyCheck.class).isAssignableFrom(ListenQueueCheck.class);
        assertThat(java.util.Arrays.stream(HealthRegistry.class.getMethods())
                .filter(m -> m.getName().equals("liveness"))
                .map(m -> m.getParameterTypes()[1])).isNotEmpty().containsOnly(LocalCheck.class);
    }

    @Test
    void isRegisteredForReadinessOnlyWhenEnabled() throws IOException {
        Path root = ProcTrees.copy(ProcTrees.LINUX_3_10, tmp);
        try (HealthRegistry off = HealthRegistry.create(); HealthRegistry on = HealthRegistry.create()) {
            assertThat(ListenQueueCheck.registerIfEnabled(off, probe(root, false))).isFalse();
            assertThat(off.checks()).isEmpty();

            assertThat(ListenQueueCheck.registerIfEnabled(on, probe(root, true))).isTrue();
            assertThat(on.checks()).singleElement().satisfies(c -> {
                assertThat(c.probe()).isEqualTo(Probe.READINESS);
                assertThat(c.name()).isEqualTo(ListenQueueCheck.NAME);
            });
            assertThat(on.optionsOf(Probe.READINESS, ListenQueueCheck.NAME).interval())
                    .as("evaluated at the sample interval").isEqualTo(Duration.ofMillis(500));
            assertThat(on.optionsOf(Probe.READINESS, ListenQueueCheck.NAME).timeout()).isEqualTo(Duration.ofMillis(500));
        }
    }

    private static ListenQueueProbe probe(Path root, boolean readinessOnOverflow) {
        return ListenQueueProbe.builder(ListenQueueSettings.builder().procRoot(root).ports(Set.of(8080))
                .requestedBacklog(100).readinessOnOverflow(readinessOnOverflow).sampleInterval(Duration.ofMillis(500))
                .build()).warnings(w -> { }).build();
    }

    private static void setOverflows(Path root, long overflows) throws IOException {
        ProcTrees.write(root.resolve("net/netstat"), "TcpExt: ListenOverflows ListenDrops\nTcpExt: " + overflows
                + " " + overflows + "\n");
    }
}
