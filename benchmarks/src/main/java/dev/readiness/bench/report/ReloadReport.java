package dev.readiness.bench.report;

import dev.readiness.bench.reload.ConfigReloadLatency;
import dev.readiness.core.reload.ConfigMapWatcher;
import dev.readiness.core.reload.ReloadResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** ConfigMap reload latency ({@link ConfigReloadLatency}) against spring-cloud-kubernetes' polling period. */
final class ReloadReport implements ReportBenchmark {

    /** spring-cloud-kubernetes polls the API every 15 s by default: a change waits 7.5 s on average. */
    static final double POLLING_MEAN_WAIT_MS = 7_500;

    @Override
    public String id() {
        return "reload";
    }

    @Override
    public String doc() {
        return "configmap-reload.md";
    }

    @Override
    public String title() {
        return "ConfigMap reload latency";
    }

    @Override
    public Section run(Mode mode) throws Exception {
        int runs = mode.pick(1, 3);
        int updates = mode.pick(200, 300);
        List<Double> ms = new ArrayList<>();
        List<Double> fromStart = new ArrayList<>();
        long missed = 0;
        long early = 0;
        long success = 0;
        for (int i = 0; i < runs; i++) {
            ConfigReloadLatency.Result r = ConfigReloadLatency.measure(updates, 20, 20, 20,
                    ConfigMapWatcher.DEFAULT_DEBOUNCE, ConfigMapWatcher.DEFAULT_POLL_INTERVAL, true);
            // the listener can finish before the writer's thread reads the clock after its rename: below the
            // resolution of this harness, so counted as 0 rather than dropped (dropping them would bias the median up)
            Arrays.stream(r.latenciesNanos()).forEach(n -> ms.add(Math.max(0, n) / 1e6));
            Arrays.stream(r.fromWriteStartNanos()).forEach(n -> fromStart.add(n / 1e6));
            early += Arrays.stream(r.latenciesNanos()).filter(n -> n <= 0).count();
            missed += r.missed();
            success += r.reloads().get(ReloadResult.SUCCESS);
        }
        return Section.builder(this)
                .method("A real directory updated step for step as the kubelet's atomic writer does it (20 keys per "
                        + "update, each update after the previous one was seen); latency to the change listeners having run, "
                        + "watcher defaults, measured from the start of the kubelet's whole write (an upper bound) and from "
                        + "the rename of `..data_tmp` onto `..data`. " + runs + " run(s) of "
                        + updates + " updates after 20 warm-up updates; each update is one repetition. The anchor is "
                        + "spring-cloud-kubernetes' default 15 s polling of the API, whose mean wait is half the period "
                        + "(its event watcher waits a blind 120 s; Reloader restarts the pod).")
                .add(Comparison.lowerIsBetter("reload latency, write start to listeners done", "ms")
                        .documentedAnchor("spring-cloud-kubernetes polling (15 s)", POLLING_MEAN_WAIT_MS)
                        .variant("readiness ConfigMapWatcher", fromStart).charted())
                .add(Comparison.lowerIsBetter("reload latency, rename of ..data to listeners done", "ms")
                        .documentedAnchor("spring-cloud-kubernetes polling (15 s)", POLLING_MEAN_WAIT_MS)
                        .variant("readiness ConfigMapWatcher", ms))
                .note("updates never seen within 30 s: " + missed + "; successful reloads: " + success)
                .note(early + " of " + ms.size() + " updates reached the listeners before the writer's thread read the "
                        + "clock after its rename; they count as 0 ms")
                .build();
    }
}
