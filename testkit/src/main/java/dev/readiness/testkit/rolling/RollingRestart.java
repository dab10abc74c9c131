package dev.readiness.testkit.rolling;

import dev.readiness.testkit.FreePorts;
import dev.readiness.testkit.process.ForkedJvm;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A rolling restart under load, the way a Kubernetes Deployment with {@code maxSurge: 1} does it: two instances
 * behind a {@link LaggingProxy}, a {@link LoadDriver} at a constant rate through the proxy, and for each restart
 * a replacement is started and waited for until it is in rotation, then the old instance gets a real SIGTERM and
 * is timed until its process exits. Every loop is bounded: restarts by count, waits by timeouts.
 */
public final class RollingRestart {

    /** Starts one instance of the service under test. */
    public interface Service {
        /** Starts an instance listening on {@code port} (127.0.0.1). */
        ForkedJvm start(String name, int port) throws IOException;

        /** Path the proxy health-checks, e.g. {@code /readyz}. */
        String healthPath();
    }

    /**
     * @param restarts           instance restarts (alternating between the two instances)
     * @param ratePerSecond      constant request rate through the proxy
     * @param slowEvery          every n-th request is {@code /slow?ms=..}
     * @param maxSlow            the longest slow request
     * @param healthInterval     the proxy's health-check interval
     * @param unhealthyThreshold failed checks before the proxy takes an instance out
     * @param exitTimeout        longest wait for an instance to exit after SIGTERM; then it is killed
     * @param echo               print the instances' output
     */
    public record Settings(int restarts, int ratePerSecond, int slowEvery, Duration maxSlow, Duration healthInterval,
                           int unhealthyThreshold, Duration exitTimeout, boolean echo) {
        public Settings {
            if (restarts < 1 || restarts > 1000) {
                throw new IllegalArgumentException("restarts must be 1..1000, was " + restarts);
            }
            Objects.requireNonNull(maxSlow, "maxSlow");
            Objects.requireNonNull(healthInterval, "healthInterval");
            Objects.requireNonNull(exitTimeout, "exitTimeout");
        }
    }

    /** One instance's shutdown: its exit status (-1 when it had to be killed), how long it took, its output. */
    public record Restart(String instance, int exitCode, Duration shutdown, List<String> output) {
    }

    /**
     * What the clients saw and what each shutdown did. {@code failed} counts every request that did not get a
     * 2xx; {@code unreachable} those of them that got no answer from the proxy at all (the machine starved the
     * harness), the rest were answered 502/503 because the instance failed them.
     */
    public record Result(long sent, long ok, long failed, long unreachable, long slowOk, List<String> failureSamples,
                         List<Restart> restarts, List<String> proxyEvents) {
        public Duration maxShutdown() {
            return restarts.stream().map(Restart::shutdown).max(Duration::compareTo).orElse(Duration.ZERO);
        }

        public Duration meanShutdown() {
            return restarts.isEmpty() ? Duration.ZERO : restarts.stream().map(Restart::shutdown)
                    .reduce(Duration.ZERO, Duration::plus).dividedBy(restarts.size());
        }

        public String summary() {
            long nonZero = restarts.stream().filter(r -> r.exitCode() != 0).count();
            return String.format(java.util.Locale.ROOT,
                    "restarts=%d requests=%d ok=%d failed=%d (%.2f per restart; answered 5xx by the proxy %d,"
                            + " proxy unreachable %d) slow-ok=%d shutdown mean=%dms max=%dms exit-codes=%s"
                            + " non-zero=%d",
                    restarts.size(), sent, ok, failed, restarts.isEmpty() ? 0.0 : (double) failed / restarts.size(),
                    failed - unreachable, unreachable, slowOk, meanShutdown().toMillis(), maxShutdown().toMillis(),
                    restarts.stream().map(r -> String.valueOf(r.exitCode())).distinct().toList(), nonZero);
        }
    }

    private RollingRestart() {
    }

    public static Result run(Service service, Settings s) throws Exception {
        List<Restart> restarts = new ArrayList<>();
        List<ForkedJvm> all = new ArrayList<>();
        Duration maxRun = s.exitTimeout().plusSeconds(90).multipliedBy(s.restarts() + 1);
        try (LaggingProxy proxy = new LaggingProxy(s.healthInterval(), s.unhealthyThreshold(), Duration.ofSeconds(60))) {
            ForkedJvm[] jvm = new ForkedJvm[2];
            LaggingProxy.Backend[] backend = new LaggingProxy.Backend[2];
            int[] generation = {1, 1};
            for (int slot = 0; slot < 2; slot++) {
                String name = (slot == 0 ? "a" : "b") + "1";
                int port = FreePorts.next();
                jvm[slot] = service.start(name, port);
                all.add(jvm[slot]);
                backend[slot] = proxy.add(name, port, service.healthPath());
            }
            for (int slot = 0; slot < 2; slot++) {
                awaitInRotation(backend[slot], jvm[slot]);
            }
            try (LoadDriver load = new LoadDriver(proxy.port(), s.ratePerSecond(), s.slowEvery(), s.maxSlow(), maxRun)) {
                load.start();
                Thread.sleep(1_000); // steady traffic on both instances before the first restart
                for (int i = 0; i < s.restarts(); i++) {
                    int slot = i % 2;
                    String name = (slot == 0 ? "a" : "b") + (++generation[slot]);
                    int port = FreePorts.next();
                    ForkedJvm replacement = service.start(name, port);
                    all.add(replacement);
                    LaggingProxy.Backend newBackend = proxy.add(name, port, service.healthPath());
                    awaitInRotation(newBackend, replacement);

                    ForkedJvm old = jvm[slot];
                    long t0 = System.nanoTime();
                    old.signal("TERM");
                    int code = old.awaitExit(s.exitTimeout());
                    Duration took = Duration.ofNanos(System.nanoTime() - t0);
                    if (code == -1) {
                        old.close();
                    }
                    // The proxy forgets the old instance only when its own health checks took it out: a
                    // load balancer does not learn that a process exited any sooner.
                    awaitOutOfRotation(backend[slot]);
                    proxy.remove(backend[slot]);
                    restarts.add(new Restart(old.name(), code, took, old.lines()));
                    jvm[slot] = replacement;
                    backend[slot] = newBackend;
                }
                Thread.sleep(1_000);
                load.stopAndAwait(Duration.ofSeconds(60));
                return new Result(load.sent(), load.ok(), load.failed(), load.unreachable(), load.slowOk(),
                        load.failureSamples(),
                        restarts, proxy.events());
            }
        } finally {
            all.forEach(ForkedJvm::close);
        }
    }

    private static void awaitInRotation(LaggingProxy.Backend b, ForkedJvm jvm) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!b.inRotation()) {
            if (System.nanoTime() - deadline > 0 || !jvm.isAlive()) {
                throw new IllegalStateException("instance " + b.name() + " never came into rotation"
                        + (jvm.isAlive() ? "" : " (it exited)") + "; output:\n" + String.join("\n", jvm.lines()));
            }
            Thread.sleep(50);
        }
    }

    private static void awaitOutOfRotation(LaggingProxy.Backend b) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (b.inRotation() && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
        }
    }

}
