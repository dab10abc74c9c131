package dev.readiness.core.config;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads {@code readiness.*} settings through SmallRye Config mappings.
 * <p>
 * Keys come from system properties, environment variables (the MicroProfile way:
 * {@code READINESS_DRAIN_TIMEOUT} is {@code readiness.drain.timeout}) and
 * {@code META-INF/microprofile-config.properties}, unless the caller supplies its own {@link Config} (the
 * Spring Boot starter passes the Spring environment). Every feature declares a {@code @ConfigMapping}
 * interface and turns it into an immutable settings object, validated where it is built.
 */
public final class ReadinessConfig {

    /** The prefix of every key. */
    public static final String PREFIX = "readiness";

    private ReadinessConfig() {
    }

    /** System properties, environment variables and microprofile-config.properties. */
    public static SmallRyeConfig defaults() {
        return builder().addDefaultSources().addDiscoveredSources().build();
    }

    /** A config over exactly these sources, with readiness' converters; for tests and embedding. */
    public static SmallRyeConfig of(ConfigSource... sources) {
        return builder().withSources(sources).build();
    }

    /**
     * Maps the keys of {@code type}'s prefix from {@code config}.
     *
     * @throws ReadinessConfigException naming every key whose value cannot be converted, with the value and
     *                                  what is allowed
     */
    public static <T> T mapping(Config config, Class<T> type) {
        List<ConfigSource> sources = new ArrayList<>();
        config.getConfigSources().forEach(sources::add);
        try {
            return builder().withSources(sources.toArray(ConfigSource[]::new)).withMapping(type).build()
                    .getConfigMapping(type);
        } catch (ConfigValidationException e) {
            throw translate(e);
        } catch (NoSuchElementException | IllegalArgumentException e) {
            throw new ReadinessConfigException("invalid readiness configuration: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code build} (a mapping's validation) and, when it refuses a key, names the value as the operator
     * wrote it ({@code -5s}) rather than as it was converted ({@code PT-5S}).
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static <T> T validate(Config config, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (ReadinessConfigException e) {
            if (e.key() == null) {
                throw e;
            }
            String raw;
            try {
                raw = config.getConfigValue(e.key()).getRawValue();
            } catch (RuntimeException lookup) {
                raw = null;
            }
            if (raw == null || raw.equals(e.value())) {
                throw e;
            }
            throw new ReadinessConfigException(e.key(), raw, e.allowed(), e);
        }
    }

    private static SmallRyeConfigBuilder builder() {
        return new SmallRyeConfigBuilder().withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(Boolean.class, 200, new BooleanConverter());
    }

    private static ReadinessConfigException translate(ConfigValidationException e) {
        StringBuilder b = new StringBuilder("invalid readiness configuration:");
        for (int i = 0; i < e.getProblemCount(); i++) {
            b.append("\n  - ").append(e.getProblem(i).getMessage());
        }
        return new ReadinessConfigException(b.toString(), e);
    }
}
