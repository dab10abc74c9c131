package dev.readiness.spring.boot.autoconfigure.sessions;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.thread.DaemonThreads;
import dev.readiness.sessions.SessionEvents;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.micrometer.SessionMetrics;
import dev.readiness.sessions.redis.RedisSessionStore;
import dev.readiness.sessions.servlet.SessionFilter;
import dev.readiness.spring.boot.autoconfigure.CheckContributor;
import dev.readiness.spring.boot.autoconfigure.CheckRegistration;
import dev.readiness.spring.boot.autoconfigure.ConditionalOnReadinessFlag;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import dev.readiness.spring.boot.autoconfigure.ReadinessSettings;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.FrameworkServlet;
import org.springframework.web.servlet.support.SessionFlashMapManager;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

/**
 * HTTP sessions in Redis (readiness-sessions): the session filter, its Redis store, and a {@code redis-sessions}
 * readiness check on the store's own connection. On when {@code readiness.sessions.redis.uri} is set; off with
 * {@code readiness.sessions.enabled=false}.
 * <p>
 * The filter runs at {@link #SESSION_FILTER_ORDER}: after Spring Session's {@code SessionRepositoryFilter}
 * ({@code HIGHEST_PRECEDENCE + 50}), so with both on the class path the application and Spring Security see
 * readiness' session (the innermost wrapper wins) and Spring Session's is never created; and before Spring
 * Security's filter chain ({@code -100}), so its session-fixation defence ({@code changeSessionId()} at login)
 * rotates the id through readiness' store. Without {@code redis.uri}, nothing is registered and Spring Session
 * (or the container) keeps sessions as before. An application that defines its own {@link RedisSessionStore} bean
 * wires its filter itself, and this auto-configuration backs off entirely.
 */
@AutoConfiguration(after = ReadinessAutoConfiguration.class)
@ConditionalOnBean(HealthRegistry.class)
@ConditionalOnClass(value = {SessionFilter.class, FilterRegistrationBean.class}, name = "io.lettuce.core.RedisClient")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty("readiness.sessions.redis.uri")
@ConditionalOnReadinessFlag("readiness.sessions.enabled")
@ConditionalOnMissingBean(RedisSessionStore.class)
public final class ReadinessSessionsAutoConfiguration {

    /** Order of the session filter: after Spring Session's (-2147483598), before Spring Security's (-100). */
    static final int SESSION_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    private static final Logger log = LoggerFactory.getLogger(ReadinessSessionsAutoConfiguration.class);

    ReadinessSessionsAutoConfiguration() {
    }

    /**
     * @throws dev.readiness.core.config.ReadinessConfigException on a bad {@code readiness.sessions.*} value
     */
    @Bean
    @ConditionalOnMissingBean
    SessionSettings readinessSessionSettings(Environment environment) {
        return SessionSettings.from(ReadinessSettings.of(environment));
    }

    /**
     * The store, whose connection starts opening in the background at once (see {@link #connectInBackground}).
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    RedisSessionStore readinessSessionStore(SessionSettings settings, ObjectProvider<SessionEvents> metrics) {
        RedisSessionStore store = RedisSessionStore.create(settings, settings.createCodec(), events(metrics));
        connectInBackground(store, settings.commandTimeout());
        return store;
    }

    /**
     * Opens the store's Redis connection on a thread of its own while the rest of the context starts. The store
     * connects lazily, and the first connection of a JVM (Lettuce's client resources, Netty's event loops and
     * their classes) takes a second or more on a busy node: done by the first evaluation of
     * {@code redis-sessions}, it delayed readiness by that long after the application was serving. A failure here
     * changes nothing: the check connects again and reports it.
     */
    static void connectInBackground(RedisSessionStore store, Duration timeout) {
        DaemonThreads.start("readiness-sessions-connect", () -> {
            try {
                CheckResult r = store.readinessCheck().check(timeout);
                log.debug("session store connected ahead of its first readiness check: {}", r);
            } catch (Exception | LinkageError e) {
                log.debug("session store could not connect ahead of its first readiness check: {}", e.toString());
            }
        });
    }

    @Bean
    @ConditionalOnMissingBean(name = "readinessSessionFilter")
    FilterRegistrationBean<SessionFilter> readinessSessionFilter(RedisSessionStore store, SessionSettings settings,
                                                                 ObjectProvider<SessionEvents> metrics) {
        FilterRegistrationBean<SessionFilter> registration =
                new FilterRegistrationBean<>(new SessionFilter(store, settings, events(metrics)));
        registration.setName("readinessSessionFilter");
        registration.setOrder(SESSION_FILTER_ORDER);
        registration.setAsyncSupported(true);
        // ASYNC too: an asynchronous cycle dispatched back into the container is saved before the container
        // completes the response after that dispatch.
        registration.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        registration.addUrlPatterns("/*");
        return registration;
    }

    /**
     * {@code redis-sessions}: a PING on the store's own connection; required as {@code redis.required} says. A
     * check the application registers under that name wins.
     */
    @Bean
    @ConditionalOnMissingBean(name = "readinessSessionStoreCheck")
    CheckContributor readinessSessionStoreCheck(RedisSessionStore store, SessionSettings settings,
                                                ReadinessSettings readiness) {
        List<CheckRegistration> checks = List.of(CheckRegistration.readiness("redis-sessions", store.readinessCheck(),
                readiness.checks().toBuilder().required(settings.required()).build()));
        return () -> checks;
    }

    /**
     * The metrics bean as its {@link SessionEvents} side: a parameter typed {@code SessionMetrics} would make Spring
     * load Micrometer's {@code MeterBinder} to resolve it, which an application without Micrometer lacks.
     */
    private static SessionEvents events(ObjectProvider<SessionEvents> metrics) {
        SessionEvents m = metrics.getIfAvailable();
        return m != null ? m : SessionEvents.NONE;
    }

    /**
     * What Spring MVC reads of the session on every request, made free for a request that does not touch its
     * session: the flash-map manager behind a marker cookie ({@link MarkedFlashMapManager}; an application's own
     * {@code flashMapManager} of another type is left alone), and no request-handled event.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SessionFlashMapManager.class)
    static final class FlashMaps {

        /**
         * Also turns off the DispatcherServlet's {@code ServletRequestHandledEvent} unless the application set
         * {@code spring.mvc.publish-request-handled-events}: the event carries the session id, which Spring reads
         * with {@code getSession(false)}, so publishing it loaded the session from Redis on every request.
         */
        @Bean
        static BeanPostProcessor readinessFlashMapManager(ObjectProvider<SessionSettings> settings,
                                                          Environment environment) {
            boolean keepEvents = environment.containsProperty("spring.mvc.publish-request-handled-events");
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (bean.getClass() == SessionFlashMapManager.class) {
                        return new MarkedFlashMapManager((SessionFlashMapManager) bean, settings.getObject());
                    }
                    if (bean instanceof FrameworkServlet servlet && !keepEvents) {
                        servlet.setPublishEvents(false);
                    }
                    return bean;
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({MeterBinder.class, SessionMetrics.class})
    static final class Metrics {

        @Bean
        @ConditionalOnMissingBean
        SessionMetrics readinessSessionMetrics() {
            return new SessionMetrics();
        }
    }
}
