package dev.readiness.war;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.testkit.fuzz.Fuzz;
import dev.readiness.testkit.fuzz.Gen;
import jakarta.servlet.ServletContext;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The settings of a WAR: init parameters under {@code readiness.} only, ranked below the environment and system
 * properties; every bad value refused before anything opens, naming the key.
 */
class WarSettingsTest {

    /** A context that fails the test when touched: the settings must be refused before anything is wired. */
    private static final class Touched extends RuntimeException {
        Touched(String method) {
            super("the context was touched (" + method + ") before the settings were validated");
        }
    }

    private static final ServletContext UNTOUCHABLE = (ServletContext) Proxy.newProxyInstance(
            WarSettingsTest.class.getClassLoader(), new Class<?>[]{ServletContext.class},
            (proxy, method, args) -> {
                throw new Touched(method.getName());
            });

    private static final List<String> KEYS = List.of("readiness.drain.timeout", "readiness.drain.propagation-delay",
            "readiness.management.port", "readiness.sessions.redis.uri", "readiness.sessions.cookie.name",
            "readiness.checks.interval", "readiness.liveness.deadlock.enabled", "readiness.drain.exit-code",
            "readiness.liveness.http-listener.enabled", "readiness.listen.sample-interval",
            "readiness.listen.requested-backlog", "readiness.saturation.concurrency-target");

    @Test
    void initParametersUnderReadinessAreReadAndOthersIgnored() {
        var config = WarConfig.of(Map.of("readiness.drain.timeout", "7s", "readinessx.drain.timeout", "9s",
                "other.key", "x", "readiness", "y"));
        assertThat(config.getValue("readiness.drain.timeout", Duration.class)).isEqualTo(Duration.ofSeconds(7));
        assertThat(config.getOptionalValue("other.key", String.class)).isEmpty();
        assertThat(config.getOptionalValue("readinessx.drain.timeout", String.class)).isEmpty();
    }

    @Test
    void aSystemPropertyOverridesTheInitParameter() {
        String key = "readiness.drain.resource-close-timeout";
        System.setProperty(key, "9s");
        try {
            var config = WarConfig.of(Map.of(key, "1s"));
            assertThat(config.getValue(key, Duration.class)).isEqualTo(Duration.ofSeconds(9));
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void brokenValuesFailTheDeploymentNamingTheKeyBeforeAnythingOpens() {
        Map<String, String> broken = Map.of("readiness.drain.timeout", "abc", "readiness.drain.propagation-delay",
                "-5s", "readiness.management.port", "70000", "readiness.sessions.redis.uri", "http://redis:6379",
                "readiness.sessions.cookie.name", "a b;c", "readiness.drain.exit-code", "256",
                "readiness.gc.pressure.window", "forever", "readiness.gc.pressure.overhead-percent", "101",
                "readiness.saturation.concurrency-target", "0", "readiness.listen.sample-interval", "5");
        broken.forEach((key, value) -> assertThatThrownBy(
                () -> ReadinessWar.start(UNTOUCHABLE, WarConfig.of(Map.of(key, value))))
                .as(key + "=" + value).isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining(key));
    }

    @Test
    void anEmptyRedisUriMeansNoRedisNotAnError() {
        assertThatThrownBy(() -> ReadinessWar.start(UNTOUCHABLE, WarConfig.of(Map.of("readiness.sessions.redis.uri", ""))))
                .isInstanceOf(Touched.class);
    }

    @Test
    void aBlankValueIsTheDefaultAsForEveryOtherSource() {
        assertThat(dev.readiness.core.drain.DrainConfig.from(WarConfig.of(Map.of("readiness.drain.timeout", " ")))
                .timeout()).isEqualTo(dev.readiness.core.drain.DrainSettings.DEFAULT_TIMEOUT);
    }

    @Test
    void aBadSessionsValueIsRefusedWithAndWithoutARedisUri() {
        assertThatThrownBy(() -> ReadinessWar.start(UNTOUCHABLE, WarConfig.of(Map.of(
                "readiness.sessions.redis.uri", "redis://localhost:6379", "readiness.sessions.max-size", "12"))))
                .isInstanceOf(ReadinessConfigException.class).hasMessageContaining("readiness.sessions.max-size");
        assertThatThrownBy(() -> ReadinessWar.start(UNTOUCHABLE, WarConfig.of(Map.of(
                "readiness.sessions.max-size", "12"))))
                .isInstanceOf(ReadinessConfigException.class).hasMessageContaining("readiness.sessions.max-size");
    }

    @Test
    void noSettingAtAllGetsPastValidation() {
        assertThatThrownBy(() -> ReadinessWar.start(UNTOUCHABLE, WarConfig.of(Map.of())))
                .isInstanceOf(Touched.class);
    }

    @Test
    void anyTextForAnyKeyIsAcceptedOrRefusedNamingTheKey() {
        Fuzz.forAll(600, Gen.combine(Gen.of(KEYS), Gen.strings(), Map::entry), e -> {
            try {
                ReadinessWar.start(UNTOUCHABLE, WarConfig.of(Map.of(e.getKey(), e.getValue())));
            } catch (ReadinessConfigException refused) {
                assertThat(refused).hasMessageContaining(e.getKey());
            } catch (Touched accepted) {
                // valid: validation passed and wiring began
            }
        });
    }

    @Test
    void bothSidesOfTheMBeanContractUseTheSameNames() throws Exception {
        assertThat(WarDrain.nameFor("Catalina/localhost", "/shop").toString())
                .startsWith(dev.readiness.tomcat.ReadinessMBeans.DRAIN_PATTERN.replace(",*", ""));
        assertThat(new javax.management.ObjectName(dev.readiness.tomcat.ReadinessMBeans.DRAIN_PATTERN)
                .apply(WarDrain.nameFor("Catalina/localhost", ""))).isTrue();
        assertThat(WarDrain.DRAIN_OPERATION).isEqualTo(dev.readiness.tomcat.ReadinessMBeans.DRAIN_OPERATION);
        assertThat(WarDrain.CONNECTORS).isEqualTo(dev.readiness.tomcat.ReadinessMBeans.CONNECTORS);
        assertThat(WarDrain.CONNECTORS_OPERATION).isEqualTo(dev.readiness.tomcat.ReadinessMBeans.CONNECTORS_OPERATION);
        assertThat(WarDrain.STOP_ACCEPTING_OPERATION)
                .isEqualTo(dev.readiness.tomcat.ReadinessMBeans.STOP_ACCEPTING_OPERATION);
    }

    @Test
    void hostileContextPathsStillGiveAValidMBeanName() {
        Fuzz.forAll(500, Gen.strings(), path -> assertThat(WarDrain.nameFor("Catalina/localhost", path)
                .getKeyProperty("type")).isEqualTo("Drain"));
    }
}
