package dev.readiness.core.reload;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.testkit.KubeletAtomicWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * The watcher against a real directory updated step for step as the kubelet does it. Unless a test is about the
 * periodic check, the poll interval is an hour, so only file events can have triggered what the test sees.
 */
class ConfigMapWatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(20); // generous: a shared, noisy machine

    @TempDir
    Path root;

    private final List<ConfigMapWatcher> started = new ArrayList<>();
    private final BlockingQueue<ConfigChange> changes = new LinkedBlockingQueue<>();

    @AfterEach
    void closeWatchers() {
        started.forEach(ConfigMapWatcher::close);
    }

    private Path dir() {
        return root.resolve("config");
    }

    private ConfigMapWatcher start(Consumer<ConfigMapWatcher.Builder> customize) {
        ConfigMapWatcher.Builder b = ConfigMapWatcher.builder().directory(dir()).pollInterval(Duration.ofHours(1))
                .listener(changes::add);
        customize.accept(b);
        ConfigMapWatcher w = b.build();
        started.add(w);
        return w.start();
    }

    private ConfigChange nextChange() throws InterruptedException {
        ConfigChange c = changes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(c).as("a change within " + WAIT).isNotNull();
        return c;
    }

    @Test
    void singleKeyChangeIsAppliedWithItsGeneration() throws Exception {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir());
        writer.write(Map.of("greeting", "hello\n", "mode", "a"));
        ConfigMapWatcher w = start(b -> { });
        assertThat(nextChange().added()).containsExactly("greeting", "mode"); // the load at start
        assertThat(w.current().generation()).isEqualTo(1);

        KubeletAtomicWriter.Write write = writer.write(Map.of("greeting", "hi\n", "mode", "a"));

        ConfigChange c = nextChange();
        assertThat(c.changed()).containsExactly("greeting");
        assertThat(c.added()).isEmpty();
        assertThat(c.removed()).isEmpty();
        assertThat(c.previous().values()).containsEntry("greeting", "hello");
        assertThat(w.current()).isSameAs(c.current());
        assertThat(w.current().generation()).isEqualTo(2);
        assertThat(w.current().values()).containsOnly(entry("greeting", "hi"), entry("mode", "a"));
        assertThat(w.current().source()).isEqualTo(dir().resolve(write.generation()));
        assertThat(w.reloads(ReloadResult.SUCCESS)).isEqualTo(2);
    }

    @Test
    void addedKeyIsReportedAsAdded() throws Exception {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir());
        writer.write(Map.of("a", "1"));
        ConfigMapWatcher w = start(b -> { });
        nextChange();

        writer.write(Map.of("a", "1", "b", "2"));

        ConfigChange c = nextChange();
        assertThat(c.added()).containsExactly("b");
        assertThat(c.keys()).containsExactly("b");
        assertThat(w.current().get("b")).contains("2");
    }

    @Test
    void removedKeyIsReportedAsRemovedAtTheSwap() throws Exception {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir());
        writer.write(Map.of("a", "1", "b", "2"));
        ConfigMapWatcher w = start(b -> { });
        nextChange();

        writer.write(Map.of("a", "1"));

        ConfigChange c = nextChange();
        assertThat(c.removed()).containsExactly("b");
        assertThat(w.current().values()).containsOnly(entry("a", "1"));
    }

    @Test
    void newKeysAreSeenWithTheOlderKubeletOrderingToo() throws Exception {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir(), KubeletAtomicWriter.Ordering.LEGACY);
        writer.write(Map.of("a", "1"));
        ConfigMapWatcher w = start(b -> { });
        nextChange();

        writer.write(Map.of("a", "2", "b", "2"));

        ConfigChange c = nextChange();
        assertThat(c.added()).containsExactly("b");
        assertThat(c.changed()).containsExactly("a");
        assertThat(w.current().generation()).isEqualTo(2);
    }

    @Test
    void manyKeysArriveTogetherInOneGeneration() throws Exception {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir());
        writer.write(keys(500, "v1"));
        ConfigMapWatcher w = start(b -> { });
        nextChange();

        writer.write(keys(500, "v2"));

        ConfigChange c = nextChange();
        assertThat(c.changed()).hasSize(500);
        assertThat(c.current().values().values()).containsOnly("v2");
        assertThat(w.current().generation()).isEqualTo(2);
    }

    @Test
    void noOpWriteChangesNothingAndCallsNoListener() throws Exception {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir());
        writer.write(Map.of("a", "1"));
        ConfigMapWatcher w = start(b -> { });
        ConfigSnapshot before = nextChange().current();

        assertThat(writer.write(Map.of("a", "1")).changed()).isFalse();
        ReloadOutcome o = w.reloadNow();

        assertThat(o.result()).isEqualTo(ReloadResult.UNCHANGED);
        assertThat(w.current()).isSameAs(before);
        assertThat(w.reloads(ReloadResult.UNCHANGED)).isEqualTo(1);
        assertThat(changes).isEmpty();
    }

    @Test
    void invalidYamlKeepsTheLastGoodConfigurationAndSaysWhy() throws Exception {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir());
        writer.write(Map.of("app.yaml", "pool:\n  size: 4\n"));
        ConfigMapWatcher w = start(b -> { });
        ConfigSnapshot good = nextChange().current();

        writer.write(Map.of("app.yaml", "pool:\n  size: [4\n"));

        await().atMost(WAIT).until(() -> w.reloads(ReloadResult.INVALID) == 1);
        assertThat(w.current()).isSameAs(good);
        assertThat(w.current().get("pool.size")).contains("4");
        assertThat(w.lastOutcome()).get().satisfies(o -> {
            assertThat(o.result()).isEqualTo(ReloadResult.INVALID);
            assertThat(o.reason()).startsWith("app.yaml: invalid YAML at line");
            assertThat(o.snapshot()).isSameAs(good);
        });
        assertThat(changes).isEmpty();

        writer.write(Map.of("app.yaml", "pool:\n  size: 8\n"));
        assertThat(nextChange().current().get("pool.size")).contains("8");
        assertThat(w.current().generation()).isEqualTo(2);
    }

    @Test
    void invalidPropertiesKeepTheLastGoodConfiguration() throws Exception {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir());
        writer.write(Map.of("app.properties", "a=1\n"));
        ConfigMapWatcher w = start(b -> { });
        ConfigSnapshot good = nextChange().current();

        writer.write(Map.of("app.properties", "a=\\uZZZZ\n"));

        await().atMost(WAIT).until(() -> w.reloads(ReloadResult.INVALID) == 1);
        assertThat(w.current()).isSameAs(good);
        assertThat(w.lastOutcome().orElseThrow().reason()).contains("app.properties: invalid properties");
    }

    @Test
    void validatorRejectingAValueKeepsTheLastGoodAndNoListenerRuns() throws Exception {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir());
        writer.write(Map.of("pool.size", "4", "db.password", "s3cr3t-old"));
        ConfigMapWatcher w = start(b -> b.validator(c -> {
            int size = Integer.parseInt(c.get("pool.size").orElse("0"));
            if (size < 1) {
                throw new IllegalArgumentException("pool.size=" + size + " is invalid: must be at least 1");
            }
        }).validator(c -> {
            if (c.get("db.password").orElse("").length() < 8) {
                throw new IllegalArgumentException("db.password " + c.get("db.password").orElse("") + " too short");
            }
        }));
        ConfigSnapshot good = nextChange().current();

        writer.write(Map.of("pool.size", "0", "db.password", "s3cr3t-old"));
        await().atMost(WAIT).until(() -> w.reloads(ReloadResult.INVALID) == 1);
        assertThat(w.lastOutcome().orElseThrow().reason())
                .isEqualTo("rejected by validator: pool.size=0 is invalid: must be at least 1");

        writer.write(Map.of("pool.size", "4", "db.password", "short"));
        await().atMost(WAIT).until(() -> w.reloads(ReloadResult.INVALID) == 2);
        assertThat(w.lastOutcome().orElseThrow().reason()).doesNotContain("short").contains(Redaction.MASK);

        assertThat(w.current()).isSameAs(good);
        assertThat(changes).isEmpty();
    }

    @Test
    void validatorSeesTheWholeCandidateBeforeTheSwap() throws Exception {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir());
        writer.write(Map.of("a", "1", "b", "1"));
        List<String> seen = new ArrayList<>();
        ConfigMapWatcher[] self = new ConfigMapWatcher[1];
        ConfigMapWatcher w = start(b -> b.validator(c -> {
            if (self[0] != null) {
                seen.add("candidate " + c.generation() + " " + c.values() + ", in force " + self[0].current().generation());
            }
        }));
        self[0] = w;
        nextChange();

        writer.write(Map.of("a", "2", "b", "2", "c", "2"));
        nextChange();

        assertThat(seen).containsExactly("candidate 2 {a=2, b=2, c=2}, in force 1");
    }

    @Test
    void validatorFailingWithAnErrorRejectsTheReloadAndTheWatcherKeepsWatching() throws Exception {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir());
        writer.write(Map.of("a", "1"));
        ConfigMapWatcher w = start(b -> b.validator(c -> {
            if (c.get("a").orElse("").equals("bad")) {
                throw new AssertionError("a must not be bad");
            }
        }));
        nextChange();

        writer.write(Map.of("a", "bad"));
        await().atMost(WAIT).until(() -> w.reloads(ReloadResult.INVALID) == 1);
        assertThat(w.lastOutcome().orElseThrow().reason()).contains("a must not be bad");

        writer.write(Map.of("a", "2"));
        assertThat(nextChange().current().get("a")).contains("2");
    }

    @Test
    void failingListenerIsCountedAndTheOthersStillRun() throws Exception {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir());
        writer.write(Map.of("a", "1"));
        ConfigMapWatcher w = start(b -> b.listener(c -> {
            throw new IllegalStateException("listener bug");
        }).listener(c -> changes.add(c)));
        nextChange();
        nextChange(); // both recording listeners ran at start, around the failing one

        writer.write(Map.of("a", "2"));

        assertThat(nextChange().current().get("a")).contains("2");
        assertThat(nextChange().current().get("a")).contains("2");
        assertThat(w.listenerFailures()).isEqualTo(2);
        assertThat(w.current().get("a")).contains("2");
        assertThat(w.lastOutcome().orElseThrow().result()).isEqualTo(ReloadResult.SUCCESS);
    }

    @Test
    void deletedDirectoryKeepsTheLastGoodAndARecreatedOneIsLoaded() throws Exception {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir());
        writer.write(Map.of("a", "1"));
        ConfigMapWatcher w = start(b -> b.pollInterval(Duration.ofMillis(100)));
        ConfigSnapshot good = nextChange().current();

        deleteRecursively(dir());

        await().atMost(WAIT).until(() -> w.reloads(ReloadResult.READ_ERROR) >= 1);
        assertThat(w.current()).isSameAs(good);
        assertThat(changes).isEmpty();

        new KubeletAtomicWriter(dir()).write(Map.of("a", "2"));

        assertThat(nextChange().current().get("a")).contains("2");
        assertThat(w.current().generation()).isEqualTo(2);
    }

    @Test
    void plainDirectoryWithoutDataIsWatchedFileByFile() throws Exception {
        Files.createDirectories(dir());
        Files.writeString(dir().resolve("greeting"), "hello\n");
        ConfigMapWatcher w = start(b -> { });
        nextChange();

        Files.writeString(dir().resolve("greeting"), "hi\n");
        assertThat(nextChange().current().get("greeting")).contains("hi");

        Files.writeString(dir().resolve("app.properties"), "x=1\n");
        ConfigChange added = nextChange();
        while (!added.current().values().containsKey("x")) { // an editor's save may arrive in two batches
            added = nextChange();
        }
        assertThat(w.current().values()).contains(entry("x", "1"), entry("greeting", "hi"));
        assertThat(w.current().source()).isEqualTo(dir());

        Files.delete(dir().resolve("greeting"));
        ConfigChange removed = nextChange();
        assertThat(removed.removed()).containsExactly("greeting");
    }

    @Test
    void periodicCheckFindsChangesWhenTheVolumeEmitsNoEvents() throws Exception {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir());
        writer.write(Map.of("a", "1"));
        ConfigMapWatcher w = start(b -> b.fileEvents(false).pollInterval(Duration.ofMillis(50)));
        nextChange();

        writer.write(Map.of("a", "2"));

        assertThat(nextChange().current().get("a")).contains("2");
        assertThat(w.current().generation()).isEqualTo(2);
    }

    @Test
    void startFailsClearlyWithoutALastGoodConfiguration() throws IOException {
        assertThatThrownBy(() -> start(b -> { })).isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("readiness.config.dir").hasMessageContaining("does not exist");

        new KubeletAtomicWriter(dir()).write(Map.of("app.yaml", "a: [\n"));
        assertThatThrownBy(() -> start(b -> { })).isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("app.yaml: invalid YAML");
    }

    @Test
    void startingTwiceIsRefused() {
        new KubeletAtomicWriter(dir()).write(Map.of("a", "1"));
        ConfigMapWatcher w = start(b -> { });
        assertThatThrownBy(w::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
        w.close();
        w.close();
        assertThat(w.current().get("a")).contains("1");
    }

    @Test
    void subPathMountIsWarnedAboutAtStart() {
        new KubeletAtomicWriter(dir()).write(Map.of("a", "1"));
        String line = "1 0 8:1 /var/lib/kubelet/pods/x/volume-subpaths/v/c/0 " + dir().toAbsolutePath() + "/a rw - ext4 x rw";
        ConfigMapWatcher w = ConfigMapWatcher.builder().directory(dir())
                .mountInfo(() -> List.of(line), Map.of()).build();
        assertThat(w.mountWarnings()).singleElement().asString().contains("subPath");
    }

    private static Map<String, String> keys(int n, String value) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < n; i++) {
            m.put("key" + i, value);
        }
        return m;
    }

    private static void deleteRecursively(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
