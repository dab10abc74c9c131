package dev.readiness.spring.boot.autoconfigure.sessions;

import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.redis.RedisSessionStore;
import dev.readiness.sessions.servlet.SessionFilter;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import dev.readiness.spring.boot.autoconfigure.ReadinessFailureAnalyzer;
import dev.readiness.testkit.RedisServer;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessSessionsAutoConfigurationTest {

    private static RedisServer redis;

    @BeforeAll
    static void start() throws IOException {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    private WebApplicationContextRunner runner() {
        return new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                        ReadinessSessionsAutoConfiguration.class));
    }

    @Test
    void offWithoutARedisUriSoSpringSessionOrTheContainerKeepSessions() {
        runner().run(context -> assertThat(context).doesNotHaveBean(RedisSessionStore.class)
                .doesNotHaveBean("readinessSessionFilter"));
    }

    @Test
    void onWithARedisUriAheadOfSpringSecurityAndBehindSpringSession() {
        runner().withPropertyValues("readiness.sessions.redis.uri=" + redis.uri(),
                "readiness.sessions.cookie.name=SID", "readiness.sessions.max-inactive-interval=10m").run(context -> {
                    assertThat(context).hasSingleBean(RedisSessionStore.class);
                    FilterRegistrationBean<?> filter = context.getBean("readinessSessionFilter",
                            FilterRegistrationBean.class);
                    assertThat(filter.getFilter()).isInstanceOf(SessionFilter.class);
                    int springSession = Ordered.HIGHEST_PRECEDENCE + 50; // SessionRepositoryFilter.DEFAULT_ORDER
                    int springSecurity = -100;                           // Boot's SecurityProperties.DEFAULT_FILTER_ORDER
                    assertThat(filter.getOrder()).isGreaterThan(springSession).isLessThan(springSecurity);
                    assertThat(filter.isAsyncSupported()).isTrue();
                    assertThat(filter.determineDispatcherTypes())
                            .containsExactlyInAnyOrder(DispatcherType.REQUEST, DispatcherType.ASYNC);
                    SessionSettings settings = context.getBean(SessionSettings.class);
                    assertThat(settings.cookieName()).isEqualTo("SID");
                    assertThat(settings.maxInactiveInterval()).isEqualTo(Duration.ofMinutes(10));
                    assertThat(context.getBean(HealthRegistry.class).checks()).as("degraded by default")
                            .anyMatch(c -> c.name().equals("redis-sessions") && !c.required());
                });
    }

    @Test
    void anApplicationThatWiresItsOwnStoreKeepsItsFilterAndCheck() {
        runner().withPropertyValues("readiness.sessions.redis.uri=" + redis.uri())
                .withBean("sessionStore", RedisSessionStore.class, () -> RedisSessionStore.create(
                        SessionSettings.builder().redisUri(redis.uri()).build()), bd -> bd.setDestroyMethodName("close"))
                .withBean("redisSessions", dev.readiness.spring.boot.autoconfigure.CheckRegistration.class,
                        () -> dev.readiness.spring.boot.autoconfigure.CheckRegistration.readiness("redis-sessions",
                                (dev.readiness.core.check.LocalCheck) dev.readiness.core.check.CheckResult::up))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(RedisSessionStore.class)
                            .doesNotHaveBean("readinessSessionFilter");
                    assertThat(context.getBean(HealthRegistry.class).checks())
                            .filteredOn(c -> c.name().equals("redis-sessions")).hasSize(1);
                });
    }

    @Test
    void offWhenDisabledEvenWithAUri() {
        runner().withPropertyValues("readiness.sessions.redis.uri=" + redis.uri(), "readiness.sessions.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(RedisSessionStore.class));
    }

    @Test
    void offOutsideAServletApplication() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                        ReadinessSessionsAutoConfiguration.class))
                .withPropertyValues("readiness.sessions.redis.uri=" + redis.uri())
                .run(context -> assertThat(context).doesNotHaveBean(RedisSessionStore.class));
    }

    @Test
    void requiredForReadinessWhenSaidSo() {
        runner().withPropertyValues("readiness.sessions.redis.uri=" + redis.uri(),
                "readiness.sessions.redis.required=true").run(context ->
                assertThat(context.getBean(HealthRegistry.class).checks())
                        .anyMatch(c -> c.name().equals("redis-sessions") && c.required()));
    }

    @Test
    void theNearCacheIsOffByDefaultAndItsKeysBind() {
        runner().withPropertyValues("readiness.sessions.redis.uri=" + redis.uri()).run(context ->
                assertThat(context.getBean(SessionSettings.class).nearCache()).isFalse());
        runner().withPropertyValues("readiness.sessions.redis.uri=" + redis.uri(),
                "readiness.sessions.redis.near-cache.enabled=true",
                "readiness.sessions.redis.near-cache.max-bytes=1048576").run(context -> {
            SessionSettings settings = context.getBean(SessionSettings.class);
            assertThat(settings.nearCache()).isTrue();
            assertThat(settings.nearCacheMaxBytes()).isEqualTo(1048576);
        });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "readiness.sessions.mode              | sticky | readiness.sessions.mode",
            "readiness.sessions.codec             | xml    | readiness.sessions.codec",
            "readiness.sessions.max-size          | 10     | readiness.sessions.max-size",
            "readiness.sessions.refresh-threshold | PT1H   | readiness.sessions.refresh-threshold",
            "readiness.sessions.cookie.same-site  | Loose  | readiness.sessions.cookie.same-site",
            "readiness.sessions.redis.tls.ca-file | /nonexistent/ca.pem | readiness.sessions.redis.tls.ca-file",
            "readiness.sessions.redis.tls.truststore | /nonexistent/trust.p12 | readiness.sessions.redis.tls.truststore",
            "readiness.sessions.redis.near-cache.max-bytes | 1024 | readiness.sessions.redis.near-cache.max-bytes",
    })
    void aBadValueFailsTheStartWithTheKey(String key, String value, String named) {
        runner().withPropertyValues("readiness.sessions.redis.uri=" + redis.uri(), key + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            var analysis = new ReadinessFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).as("%s", context.getStartupFailure()).isNotNull();
            assertThat(analysis.getDescription()).contains(named, value);
        });
    }
}
