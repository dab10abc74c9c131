package dev.readiness.samples.boot;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.listen.ListenQueueConfig;
import dev.readiness.core.listen.ListenQueueProbe;
import dev.readiness.core.reload.ConfigMapWatcher;
import dev.readiness.gc.runtime.GcAdvisor;
import dev.readiness.gc.runtime.GcConfig;
import dev.readiness.gc.runtime.GcPressureCheck;
import dev.readiness.gc.runtime.GcRuntime;
import dev.readiness.spring.boot.autoconfigure.CheckRegistration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;

@Configuration(proxyBeanMethods = false)
class SampleConfiguration {

    /**
     * Liveness: a JVM drowning in GC cannot serve and will not recover by itself; a restart is the cure. The
     * settings are {@code readiness.gc.*} from system properties and environment variables
     * ({@code READINESS_GC_PRESSURE_WINDOW}); at start, logs what in this JVM disagrees with its container.
     */
    @Bean
    @ConditionalOnProperty(name = "readiness.gc.pressure.enabled", matchIfMissing = true)
    CheckRegistration gcPressure() {
        GcConfig gc = GcConfig.from(ReadinessConfig.defaults());
        if (gc.advisor().enabled()) {
            GcAdvisor.logAtStart();
        }
        return CheckRegistration.liveness(GcRuntime.CHECK_NAME, new GcPressureCheck(gc.toSettings()));
    }

    /**
     * Accept-queue overflows and the effective backlog ({@code readiness.listen.*} from system properties and
     * environment variables), sampled from /proc once the application is ready. The requested backlog is
     * Tomcat's {@code server.tomcat.accept-count}.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "readiness.listen.enabled", matchIfMissing = true)
    ListenQueueProbe listenQueueProbe(@Value("${server.tomcat.accept-count:100}") int acceptCount) {
        return ListenQueueProbe.builder(ListenQueueConfig.from(ReadinessConfig.defaults()))
                .requestedBacklog(() -> acceptCount).build();
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> startListenQueueProbe(ObjectProvider<ListenQueueProbe> probe) {
        return event -> probe.ifAvailable(ListenQueueProbe::start);
    }

    /**
     * The mounted ConfigMap directory ({@code readiness.config.dir}, {@code READINESS_CONFIG_DIR}), reloaded in place
     * when the kubelet swaps {@code ..data}; a bad update keeps the last good configuration. Loaded at start: a
     * missing or invalid directory fails the start. Without the property, {@code /config/{key}} answers 404.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("readiness.config.dir")
    ConfigMapWatcher configMapWatcher(@Value("${readiness.config.dir}") String dir) {
        return ConfigMapWatcher.builder().directory(Path.of(dir.trim())).build().start();
    }
}
