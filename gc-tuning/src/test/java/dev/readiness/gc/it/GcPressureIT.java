package dev.readiness.gc.it;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real JVM whose heap is nearly full of live data spends its time collecting: the GC-pressure check in it goes
 * DOWN. The same workload with room to spare stays UP. No cgroup needed: the heap is sized by -Xmx. The workload allocates as fast as it can, so even a
 * healthy heap needs room for its young generation to stay well under the 50% threshold on a busy machine.
 */
class GcPressureIT {

    static String run(String heap, String liveShare) throws Exception {
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.contains("gc-tuning") || e.contains("readiness-core") || e.contains("slf4j-api"))
                .collect(Collectors.joining(File.pathSeparator));
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Xms" + heap, "-XX:+UseG1GC", "-cp", cp, LiveSetWorkload.class.getName(), liveShare, "5"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        System.out.println("--- live share " + liveShare + "\n" + out);
        return out;
    }

    @Test
    void aHeapFullOfLiveDataTurnsTheCheckDown() throws Exception {
        String out = run("64m", "0.90");
        assertThat(out).contains("done").doesNotContain("pressureDowns=0");
        assertThat(out).containsPattern("pressureDowns=\\d+ (GC pauses took|heap after GC stayed)");
    }

    @Test
    void aHeapWithRoomToSpareKeepsTheCheckUp() throws Exception {
        String out = run("256m", "0.30");
        assertThat(out).contains("done").contains("pressureDowns=0");
    }
}
