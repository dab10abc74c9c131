package dev.readiness.samples.boot;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.util.Optional;

@Configuration(proxyBeanMethods = false)
class SampleConfiguration {

    /** {@code readiness.config.dir} ({@code READINESS_CONFIG_DIR}): the mounted ConfigMap directory, unset by default. */
    @Bean
    ConfigDirectory configDirectory(@Value("${readiness.config.dir:}") String dir) {
        return new ConfigDirectory(dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir.trim())));
    }
}
