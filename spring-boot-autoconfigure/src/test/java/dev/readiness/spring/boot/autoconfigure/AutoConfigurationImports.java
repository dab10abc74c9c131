package dev.readiness.spring.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The auto-configurations the class path registers, as Spring Boot reads them: every
 * {@code META-INF/spring/...AutoConfiguration.imports} (the shared module's and this generation's), in order.
 */
final class AutoConfigurationImports {

    static final String IMPORTS = "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports";

    private AutoConfigurationImports() {
    }

    /** The names listed by readiness's jars (a name starting with {@code dev.readiness.}). */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        try {
            for (URL url : Collections.list(AutoConfigurationImports.class.getClassLoader().getResources(IMPORTS))) {
                try (InputStream in = url.openStream()) {
                    Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                            .map(String::trim).filter(l -> l.startsWith("dev.readiness.")).forEach(names::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    static Class<?>[] classes() {
        return names().stream().map(n -> {
            try {
                return Class.forName(n);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(n, e);
            }
        }).toArray(Class<?>[]::new);
    }
}
