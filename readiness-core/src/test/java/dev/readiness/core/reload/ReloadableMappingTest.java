package dev.readiness.core.reload;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.testkit.KubeletAtomicWriter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.WithDefault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReloadableMappingTest {

    @ConfigMapping(prefix = "app")
    interface App {
        String greeting();

        @WithDefault("1s")
        Duration timeout();

        List<String> hosts();
    }

    interface NotAMapping {
    }

    @TempDir
    Path dir;

    private ConfigMapWatcher watcher;

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    /** No events and an hourly check: only the reloads a test asks for run, so outcomes are its own. */
    private ConfigMapWatcher.Builder builder() {
        return ConfigMapWatcher.builder().directory(dir).fileEvents(false).pollInterval(Duration.ofHours(1));
    }

    @Test
    void mappingIsBuiltAtStartAndRebuiltOnEachReload() {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir);
        writer.write(Map.of("app.yaml", "app:\n  greeting: hello\n  hosts: [a, b]\n"));
        ReloadableMapping<App> app = ReloadableMapping.of(App.class);
        watcher = builder().mapping(app).build().start();
        App first = app.get();
        assertThat(first.greeting()).isEqualTo("hello");
        assertThat(first.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(first.hosts()).containsExactly("a", "b");

        writer.write(Map.of("app.yaml", "app:\n  greeting: hi\n  timeout: 250ms\n  hosts: [c]\n"));
        assertThat(watcher.reloadNow().result()).isEqualTo(ReloadResult.SUCCESS);

        assertThat(app.get()).isNotSameAs(first);
        assertThat(app.get().greeting()).isEqualTo("hi");
        assertThat(app.get().timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(app.get().hosts()).containsExactly("c");
        assertThat(first.greeting()).as("a mapping object never changes in place").isEqualTo("hello");
    }

    @Test
    void valueTheMappingCannotConvertRejectsTheWholeReload() {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir);
        writer.write(Map.of("app.properties", "app.greeting=hello\napp.hosts=a\n", "other", "1"));
        ReloadableMapping<App> app = ReloadableMapping.of(App.class);
        watcher = builder().mapping(app).build().start();
        ConfigSnapshot good = watcher.current();
        App before = app.get();

        writer.write(Map.of("app.properties", "app.greeting=hi\napp.hosts=a\napp.timeout=soon\n", "other", "2"));
        ReloadOutcome o = watcher.reloadNow();

        assertThat(o.result()).isEqualTo(ReloadResult.INVALID);
        assertThat(o.reason()).contains(App.class.getName()).contains("app.timeout");
        assertThat(watcher.current()).isSameAs(good);
        assertThat(watcher.current().get("other")).as("no key of the rejected generation").contains("1");
        assertThat(app.get()).isSameAs(before);
    }

    @Test
    void missingRequiredKeyRejectsTheReload() {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir);
        writer.write(Map.of("app.greeting", "hello", "app.hosts", "a"));
        ReloadableMapping<App> app = ReloadableMapping.of(App.class);
        watcher = builder().mapping(app).build().start();

        writer.write(Map.of("app.hosts", "a"));

        assertThat(watcher.reloadNow().reason()).contains("app.greeting");
        assertThat(app.get().greeting()).isEqualTo("hello");
    }

    @Test
    void mappingIsRefusedBeforeStartAndOnASecondWatcher() {
        new KubeletAtomicWriter(dir).write(Map.of("app.greeting", "x", "app.hosts", "a"));
        ReloadableMapping<App> app = ReloadableMapping.of(App.class);
        assertThatThrownBy(app::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("start it");
        watcher = builder().mapping(app).build();
        assertThatThrownBy(app::get).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> builder().mapping(app).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already belongs");
        assertThatThrownBy(() -> ReloadableMapping.of(NotAMapping.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("@ConfigMapping");
    }

    @Test
    void configSourceAnswersFromTheSnapshotInForce() {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir);
        writer.write(Map.of("greeting", "hello"));
        watcher = builder().build().start();
        SmallRyeConfig config = ReadinessConfig.of(watcher.configSource());

        assertThat(config.getValue("greeting", String.class)).isEqualTo("hello");
        assertThat(watcher.configSource().getOrdinal()).isEqualTo(250);
        assertThat(watcher.configSource(42).getOrdinal()).isEqualTo(42);
        assertThat(watcher.configSource().getName()).contains(dir.toString());

        writer.write(Map.of("greeting", "hi", "added", "1"));
        watcher.reloadNow();

        assertThat(config.getValue("greeting", String.class)).isEqualTo("hi");
        assertThat(config.getOptionalValue("added", String.class)).contains("1");
        assertThat(watcher.configSource().getPropertyNames()).containsExactly("added", "greeting");
    }
}
