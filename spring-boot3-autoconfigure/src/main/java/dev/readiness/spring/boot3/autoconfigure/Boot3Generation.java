package dev.readiness.spring.boot3.autoconfigure;

import dev.readiness.spring.boot.autoconfigure.BootGeneration;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.boot.web.embedded.jetty.JettyWebServer;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.util.ClassUtils;

import java.util.function.Consumer;

/**
 * Spring Boot 3.5's names for the embedded web server: the web server context and events in
 * {@code org.springframework.boot.web.context}, the servers in {@code org.springframework.boot.web.embedded}, all in
 * the {@code spring-boot} jar. Tomcat's and Jetty's Boot classes are touched only once their server's own classes
 * are known to be on the class path (a Jetty application has no Tomcat).
 */
public final class Boot3Generation implements BootGeneration {

    private static final ClassLoader LOADER = Boot3Generation.class.getClassLoader();
    private static final boolean WEB_SERVER =
            ClassUtils.isPresent("org.springframework.boot.web.context.WebServerApplicationContext", LOADER);
    private static final boolean TOMCAT = WEB_SERVER
            && ClassUtils.isPresent("org.apache.catalina.startup.Tomcat", LOADER);
    private static final boolean JETTY = WEB_SERVER
            && ClassUtils.isPresent("org.eclipse.jetty.server.Server", LOADER)
            && ClassUtils.isPresent("org.eclipse.jetty.ee10.webapp.WebAppContext", LOADER);

    @Override
    public String name() {
        return "Spring Boot 3.5";
    }

    @Override
    public String starter() {
        return "readiness-spring-boot3-starter";
    }

    @Override
    public boolean webServerClasses() {
        return WEB_SERVER;
    }

    @Override
    public boolean webServerContext(ApplicationContext context) {
        return WEB_SERVER && Web.isWebServerContext(context);
    }

    @Override
    public Object webServer(ApplicationContext context) {
        return WEB_SERVER ? Web.webServer(context) : null;
    }

    @Override
    public Object tomcat(Object webServer) {
        return TOMCAT ? Tomcat.tomcat(webServer) : null;
    }

    @Override
    public Object jetty(Object webServer) {
        return JETTY ? Jetty.jetty(webServer) : null;
    }

    @Override
    public Object startedWebServer(ApplicationEvent event) {
        return WEB_SERVER ? Web.started(event) : null;
    }

    @Override
    public Object jettyServerCustomizer(Consumer<Object> customizer) {
        return Jetty.customizer(customizer);
    }

    @Override
    public String toString() {
        return name();
    }

    private static final class Web {
        static boolean isWebServerContext(ApplicationContext context) {
            return context instanceof WebServerApplicationContext;
        }

        static Object webServer(ApplicationContext context) {
            return context instanceof WebServerApplicationContext web ? web.getWebServer() : null;
        }

        static Object started(ApplicationEvent event) {
            if (event instanceof WebServerInitializedEvent started) {
                String namespace = started.getApplicationContext().getServerNamespace();
                return namespace == null || namespace.isEmpty() ? started.getWebServer() : null;
            }
            return null;
        }
    }

    private static final class Tomcat {
        static Object tomcat(Object webServer) {
            return webServer instanceof TomcatWebServer tomcat ? tomcat.getTomcat() : null;
        }
    }

    private static final class Jetty {
        static Object jetty(Object webServer) {
            return webServer instanceof JettyWebServer jetty ? jetty.getServer() : null;
        }

        static Object customizer(Consumer<Object> customizer) {
            return new JettyCustomizer(customizer);
        }
    }

    /** A class, not a lambda: Boot matches a customizer to its factory by the type argument it declares. */
    private static final class JettyCustomizer implements WebServerFactoryCustomizer<JettyServletWebServerFactory> {
        private final Consumer<Object> customizer;

        JettyCustomizer(Consumer<Object> customizer) {
            this.customizer = customizer;
        }

        @Override
        public void customize(JettyServletWebServerFactory factory) {
            factory.addServerCustomizers(customizer::accept);
        }
    }
}
