package dev.readiness.war;

import dev.readiness.core.config.ReadinessConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import jakarta.servlet.ServletContext;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code readiness.*} settings of one webapp: system properties (ordinal 400), environment variables (300,
 * {@code READINESS_DRAIN_TIMEOUT}), then the servlet context's init parameters whose name starts with
 * {@code readiness.} (ordinal {@value #INIT_PARAMETERS_ORDINAL}: {@code <context-param>} in web.xml, or
 * {@code <Parameter>} in Tomcat's context.xml), then {@code META-INF/microprofile-config.properties} (100).
 * So an operator's environment overrides what the WAR was packaged with, as in a container image.
 */
public final class WarConfig {

    /** Above microprofile-config.properties (100), below environment variables (300). */
    public static final int INIT_PARAMETERS_ORDINAL = 200;
    static final String SOURCE_NAME = "servlet context init parameters";

    private WarConfig() {
    }

    /** The settings for {@code context}, read with the webapp's class loader. */
    public static SmallRyeConfig of(ServletContext context) {
        return of(initParameters(context));
    }

    /**
     * The defaults' sources with {@code initParameters} added at {@link #INIT_PARAMETERS_ORDINAL}; parameters not
     * under {@code readiness.} are ignored, so a WAR's other context parameters never reach a readiness reader.
     */
    public static SmallRyeConfig of(Map<String, String> initParameters) {
        Map<String, String> readiness = new LinkedHashMap<>();
        initParameters.forEach((k, v) -> {
            if (k != null && v != null && k.startsWith(ReadinessConfig.PREFIX + ".")) {
                readiness.put(k, v);
            }
        });
        List<ConfigSource> sources = new ArrayList<>();
        ReadinessConfig.defaults().getConfigSources().forEach(sources::add);
        sources.add(new PropertiesConfigSource(readiness, SOURCE_NAME, INIT_PARAMETERS_ORDINAL));
        return ReadinessConfig.of(sources.toArray(ConfigSource[]::new));
    }

    /** The context's init parameters, by name. */
    static Map<String, String> initParameters(ServletContext context) {
        Map<String, String> all = new LinkedHashMap<>();
        for (String name : Collections.list(context.getInitParameterNames())) {
            all.put(name, context.getInitParameter(name));
        }
        return all;
    }
}
