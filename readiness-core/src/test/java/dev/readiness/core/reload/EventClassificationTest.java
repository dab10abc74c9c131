package dev.readiness.core.reload;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.readiness.core.reload.ConfigMapWatcher.Relevance.CHANGE;
import static dev.readiness.core.reload.ConfigMapWatcher.Relevance.NONE;
import static dev.readiness.core.reload.ConfigMapWatcher.Relevance.OVERFLOW;
import static dev.readiness.core.reload.ConfigMapWatcher.Relevance.SWAP;
import static org.assertj.core.api.Assertions.assertThat;

/** Which file events lead to a reload; pure logic over the events the JDK's watch service delivers. */
class EventClassificationTest {

    private static WatchEvent<?> event(WatchEvent.Kind<?> kind, String name) {
        return new WatchEvent<Object>() {
            @Override
            @SuppressWarnings("unchecked")
            public Kind<Object> kind() {
                return (Kind<Object>) kind;
            }

            @Override
            public int count() {
                return 1;
            }

            @Override
            public Object context() {
                return name == null ? null : Path.of(name);
            }
        };
    }

    private static WatchEvent<?> created(String name) {
        return event(StandardWatchEventKinds.ENTRY_CREATE, name);
    }

    @Test
    void theKubeletsSwapIsOneSwapWhateverSurroundsIt() {
        List<WatchEvent<?>> swap = List.of(created("..2026_11_21_10_00_00.1"), created("..data_tmp"),
                event(StandardWatchEventKinds.ENTRY_DELETE, "..data_tmp"), created("..data"), created("newkey"),
                event(StandardWatchEventKinds.ENTRY_DELETE, "..2026_11_21_09_00_00.9"));
        assertThat(ConfigMapWatcher.classify(swap, () -> true)).isEqualTo(SWAP);
    }

    @Test
    void pollingWatchServicesReportTheSwapAsAModification() {
        assertThat(ConfigMapWatcher.classify(List.of(event(StandardWatchEventKinds.ENTRY_MODIFY, "..data")),
                () -> true)).isEqualTo(SWAP);
    }

    @Test
    void stepsBeforeTheSwapChangeNothingInAKubeletVolume() {
        assertThat(ConfigMapWatcher.classify(List.of(created("..2026_11_21_10_00_00.1"), created("..data_tmp"),
                created("app.properties")), () -> true)).isEqualTo(NONE);
    }

    @Test
    void overflowMeansRescan() {
        assertThat(ConfigMapWatcher.classify(List.of(created("..data"),
                event(StandardWatchEventKinds.OVERFLOW, null)), () -> true)).isEqualTo(OVERFLOW);
    }

    @Test
    void plainDirectoryFilesCountButEditorLeftoversDoNot() {
        assertThat(ConfigMapWatcher.classify(List.of(created("app.properties")), () -> false)).isEqualTo(CHANGE);
        assertThat(ConfigMapWatcher.classify(List.of(created(".app.properties.swp"), created("app.properties~"),
                created("4913.tmp")), () -> false)).isEqualTo(NONE);
    }

    @Test
    void theDirectoryIsLookedAtOnceAtMostPerBatch() {
        AtomicInteger looks = new AtomicInteger();
        ConfigMapWatcher.classify(List.of(created("a~"), created("b~"), created("c~")), () -> {
            looks.incrementAndGet();
            return false;
        });
        assertThat(looks).hasValue(1);
        ConfigMapWatcher.classify(List.of(created("..data")), () -> {
            looks.incrementAndGet();
            return true;
        });
        assertThat(looks).hasValue(1);
    }
}
