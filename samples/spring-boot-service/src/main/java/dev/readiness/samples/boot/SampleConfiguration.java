package dev.readiness.samples.boot;

import dev.readiness.core.reload.ConfigMapWatcher;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;

@Configuration(proxyBeanMethods = false)
class SampleConfiguration {

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
