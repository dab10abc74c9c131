package dev.readiness.war;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;

import java.util.Set;

/**
 * Wires readiness into every webapp that has {@code readiness-war} in {@code WEB-INF/lib}; found by the container
 * through {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}, nothing to declare. Settings
 * come from {@link WarConfig}. A bad setting fails the webapp's start with a message naming the key, the value
 * and what is allowed. See {@link ReadinessWar} for what is wired.
 */
public final class ReadinessInitializer implements ServletContainerInitializer {

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        ReadinessWar war;
        try {
            war = ReadinessWar.start(context, WarConfig.of(context));
        } catch (RuntimeException e) {
            throw new ServletException("readiness: " + e.getMessage(), e);
        }
        context.addListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent sce) {
                war.started();
            }

            @Override
            public void contextDestroyed(ServletContextEvent sce) {
                war.close();
            }
        });
    }
}
