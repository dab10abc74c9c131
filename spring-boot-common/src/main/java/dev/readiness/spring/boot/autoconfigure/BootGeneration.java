package dev.readiness.spring.boot.autoconfigure;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.core.io.support.SpringFactoriesLoader;

import java.util.List;
import java.util.function.Consumer;

/**
 * What one Spring Boot generation calls its embedded web server: the only thing the shared auto-configuration
 * (this module) needs from Boot that Boot 3.5 and Boot 4 name differently. Spring Boot 4 moved the embedded
 * servers to their own modules ({@code org.springframework.boot.tomcat.TomcatWebServer} in place of
 * {@code org.springframework.boot.web.embedded.tomcat.TomcatWebServer}, {@code WebServerApplicationContext} from
 * {@code org.springframework.boot.web.context} to {@code org.springframework.boot.web.server.context}), so each
 * generation's module ({@code readiness-spring-boot-autoconfigure} for Boot 4, {@code
 * readiness-spring-boot3-autoconfigure} for Boot 3.5) implements this once and registers it in
 * {@code META-INF/spring.factories}.
 * <p>
 * Types of the web servers themselves are {@link Object} here ({@code org.apache.catalina.startup.Tomcat},
 * {@code org.eclipse.jetty.server.Server}, Boot's {@code WebServer}): an application without them must still load
 * this interface.
 */
public interface BootGeneration {

    /** "Spring Boot 4", "Spring Boot 3.5": for messages. */
    String name();

    /** This generation's starter, {@code readiness-spring-boot-starter} or {@code readiness-spring-boot3-starter}. */
    String starter();

    /** Whether Boot's embedded web server classes are on the class path (in Boot 4, {@code spring-boot-web-server}). */
    boolean webServerClasses();

    /** Whether {@code context} is Boot's {@code WebServerApplicationContext} (one that runs an embedded server). */
    boolean webServerContext(ApplicationContext context);

    /**
     * The embedded web server of {@code context} (Boot's {@code WebServer}), or null: not a web server context,
     * or its server not created yet.
     */
    Object webServer(ApplicationContext context);

    /** The {@code org.apache.catalina.startup.Tomcat} behind Boot's Tomcat web server, or null for another. */
    Object tomcat(Object webServer);

    /** The {@code org.eclipse.jetty.server.Server} behind Boot's Jetty web server, or null for another. */
    Object jetty(Object webServer);

    /**
     * The web server that {@code event} says has started, when it is a {@code WebServerInitializedEvent} of the
     * application's own server (not of a management context's: those have a server namespace); null otherwise.
     */
    Object startedWebServer(ApplicationEvent event);

    /**
     * A {@code WebServerFactoryCustomizer} of Boot's Jetty servlet web server factory that hands each Jetty
     * {@code Server} to {@code customizer} before it starts (a Jetty server customizer).
     */
    Object jettyServerCustomizer(Consumer<Object> customizer);

    /** The generation on the class path, found once. */
    static BootGeneration current() {
        return Holder.CURRENT;
    }

    /** Loads the one registered generation; none or two fail with what to change. */
    final class Holder {
        private static final BootGeneration CURRENT = load();

        private Holder() {
        }

        private static BootGeneration load() {
            List<BootGeneration> found = SpringFactoriesLoader.loadFactories(BootGeneration.class,
                    BootGeneration.class.getClassLoader());
            if (found.size() == 1) {
                return found.get(0);
            }
            if (found.isEmpty()) {
                throw new IllegalStateException("readiness-spring-boot-common is on the class path without the"
                        + " auto-configuration of a Spring Boot generation: depend on readiness-spring-boot-starter"
                        + " (Spring Boot 4) or readiness-spring-boot3-starter (Spring Boot 3.5) instead");
            }
            throw new IllegalStateException("two Spring Boot generations of readiness are on the class path ("
                    + found.stream().map(BootGeneration::name).toList() + "): keep the one starter that matches"
                    + " the application's Spring Boot, readiness-spring-boot-starter (4) or"
                    + " readiness-spring-boot3-starter (3.5)");
        }
    }
}
