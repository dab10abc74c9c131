package dev.readiness.core.reload;

import dev.readiness.testkit.KubeletAtomicWriter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A thousand kubelet writes as fast as the file system takes them, while readers read the configuration in a
 * tight loop: no reader may ever see keys of two generations, and generations only move forward.
 */
class ConfigMapWatcherConcurrencyTest {

    private static final int WRITES = 1_000;
    private static final int KEYS = 20;
    private static final int READERS = 2;

    @ConfigMapping(prefix = "app")
    interface App {
        @WithDefault("0")
        int gen();

        String k0();

        String k19();
    }

    @TempDir
    Path dir;

    @Test
    void readersNeverSeeTwoGenerationsMixedDuringAThousandRapidWrites() throws Exception {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir);
        writer.write(payload(0));
        ReloadableMapping<App> app = ReloadableMapping.of(App.class);
        List<Long> listenerGenerations = new CopyOnWriteArrayList<>();
        ConfigMapWatcher w = ConfigMapWatcher.builder().directory(dir).pollInterval(Duration.ofMillis(200))
                .mapping(app).listener(c -> listenerGenerations.add(c.current().generation())).build().start();
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> mixes = new ConcurrentLinkedQueue<>();
        AtomicLong reads = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        try {
            for (int r = 0; r < READERS; r++) {
                Thread t = new Thread(() -> {
                    long lastGen = 0;
                    long lastValue = -1;
                    while (!done.get() && mixes.size() < 10) {
                        ConfigSnapshot s = w.current();
                        String marker = s.values().get("app.gen");
                        for (Map.Entry<String, String> e : s.values().entrySet()) {
                            if (e.getKey().startsWith("app.") && !e.getKey().equals("app.properties")
                                    && !e.getValue().equals(marker)) {
                                mixes.add("generation " + s.generation() + ": " + e.getKey() + "=" + e.getValue()
                                        + " beside app.gen=" + marker);
                            }
                        }
                        App a = app.get();
                        if (!a.k0().equals(a.k19()) || Integer.parseInt(a.k0()) != a.gen()) {
                            mixes.add("mapping mixed: " + a.gen() + "/" + a.k0() + "/" + a.k19());
                        }
                        long value = Long.parseLong(marker);
                        if (s.generation() < lastGen || value < lastValue) {
                            mixes.add("went back from generation " + lastGen + " to " + s.generation());
                        }
                        lastGen = s.generation();
                        lastValue = value;
                        reads.incrementAndGet();
                        Thread.yield(); // two cores are shared with the writer and the watcher
                    }
                }, "reader-" + r);
                t.start();
                readers.add(t);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            for (int i = 1; i <= WRITES && System.nanoTime() < deadline; i++) {
                writer.write(payload(i));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> w.current().get("app.gen").orElse(""),
                    v -> v.equals(String.valueOf(WRITES)));
        } finally {
            done.set(true);
            for (Thread t : readers) {
                t.join(10_000);
            }
            w.close();
        }

        assertThat(mixes).isEmpty();
        assertThat(reads.get()).isGreaterThan(WRITES);
        assertThat(app.get().gen()).isEqualTo(WRITES);
        assertThat(listenerGenerations).isSorted().doesNotHaveDuplicates();
        assertThat(w.current().generation()).isEqualTo(listenerGenerations.get(listenerGenerations.size() - 1));
        assertThat(w.reloads(ReloadResult.INVALID)).isZero();
        System.out.printf("%d writes, %d reloads applied, %d reads%n", WRITES, w.reloads(ReloadResult.SUCCESS), reads.get());
    }

    private static Map<String, String> payload(int gen) {
        Map<String, String> p = new TreeMap<>();
        StringBuilder props = new StringBuilder("app.gen=" + gen + "\n");
        for (int k = 0; k < KEYS; k++) {
            props.append("app.k").append(k).append('=').append(gen).append('\n');
            p.put("app.file" + k, String.valueOf(gen)); // a key per file too, read from the same generation
        }
        p.put("app.properties", props.toString());
        return p;
    }
}
