package dev.readiness.sessions;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.ReadinessConfigException;
import io.smallrye.config.PropertiesConfigSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionsConfigTest {

    static SessionSettings settings(Map<String, String> props) {
        return SessionsConfig.from(ReadinessConfig.of(new PropertiesConfigSource(props, "test", 100)));
    }

    static Map<String, String> with(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("readiness.sessions.redis.uri", "redis://redis:6379");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsAreSafe() {
        SessionSettings s = settings(with());
        assertThat(s.cookieName()).isEqualTo("SESSION");
        assertThat(s.cookieSecure()).isTrue();
        assertThat(s.sameSite()).isEqualTo("Lax");
        assertThat(s.maxInactiveInterval()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.refreshThreshold()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.maxSize()).isEqualTo(65536);
        assertThat(s.mode()).isEqualTo(SessionSettings.Mode.REDIS);
        assertThat(s.codec()).isEqualTo(SessionSettings.Codec.BASIC);
        assertThat(s.createCodec().name()).isEqualTo("basic");
        assertThat(s.required()).as("degraded by default: every replica shares the Redis").isFalse();
        assertThat(s.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.nearCache()).as("a consistency trade: opt in").isFalse();
        assertThat(s.nearCacheMaxBytes()).isEqualTo(16L * 1024 * 1024);
    }

    @Test
    void theNearCacheCanBeTurnedOnAndBounded() {
        SessionSettings s = settings(with("readiness.sessions.redis.near-cache.enabled", "true",
                "readiness.sessions.redis.near-cache.max-bytes", "1048576"));
        assertThat(s.nearCache()).isTrue();
        assertThat(s.nearCacheMaxBytes()).isEqualTo(1048576);
    }

    @Test
    void everySettingIsRead() {
        SessionSettings s = settings(with("readiness.sessions.redis.uri", "redis://a:1,redis://b:2",
                "readiness.sessions.redis.cluster", "true", "readiness.sessions.cookie.name", "SID",
                "readiness.sessions.cookie.secure", "false", "readiness.sessions.cookie.same-site", "strict",
                "readiness.sessions.cookie.path", "/app", "readiness.sessions.max-inactive-interval", "10m",
                "readiness.sessions.max-size", "2048", "readiness.sessions.refresh-threshold", "5s",
                "readiness.sessions.mode", "Mirror", "readiness.sessions.codec", "jdk",
                "readiness.sessions.allowlist", "com.example.Cart,com.example.model.**",
                "readiness.sessions.redis.command-timeout", "250ms"));
        assertThat(s.cluster()).isTrue();
        assertThat(s.cookieName()).isEqualTo("SID");
        assertThat(s.cookieSecure()).isFalse();
        assertThat(s.sameSite()).isEqualTo("Strict");
        assertThat(s.cookiePath()).contains("/app");
        assertThat(s.maxInactiveInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.maxSize()).isEqualTo(2048);
        assertThat(s.refreshThreshold()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.mode()).isEqualTo(SessionSettings.Mode.MIRROR);
        assertThat(s.createCodec().name()).isEqualTo("jdk");
        assertThat(s.allowlist()).containsExactly("com.example.Cart", "com.example.model.**");
        assertThat(s.commandTimeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void theEnvironmentVariableContractMapsToTheUri() {
        SessionSettings s = SessionsConfig.from(ReadinessConfig.of(new io.smallrye.config.EnvConfigSource(
                Map.of("READINESS_SESSIONS_REDIS_URI", "rediss://user:secret@redis:6380"), 300)));
        assertThat(s.redisUri()).isEqualTo("rediss://user:secret@redis:6380");
    }

    @Test
    void badValuesFailAtStartNamingTheKeyTheValueAndWhatIsAllowed() {
        Map<Map<String, String>, String> cases = new java.util.LinkedHashMap<>();
        Map<String, String> noUri = with();
        noUri.remove("readiness.sessions.redis.uri");
        cases.put(noUri, "readiness.sessions.redis.uri=(empty) is invalid: must be set");
        cases.put(with("readiness.sessions.redis.uri", "http://redis"), "must start with redis://");
        cases.put(with("readiness.sessions.redis.uri", "redis://a:1,redis://b:2"), "must name one server; for a Redis Cluster set readiness.sessions.redis.cluster=true");
        cases.put(with("readiness.sessions.mode", "sticky"), "readiness.sessions.mode=sticky is invalid: must be redis or mirror");
        cases.put(with("readiness.sessions.codec", "kryo"), "readiness.sessions.codec=kryo is invalid");
        cases.put(with("readiness.sessions.cookie.same-site", "sometimes"), "readiness.sessions.cookie.same-site=sometimes");
        cases.put(with("readiness.sessions.cookie.same-site", "None", "readiness.sessions.cookie.secure", "false"),
                "must not be None unless readiness.sessions.cookie.secure=true");
        cases.put(with("readiness.sessions.cookie.name", "bad name;"), "readiness.sessions.cookie.name=bad name;");
        cases.put(with("readiness.sessions.cookie.path", "app"), "readiness.sessions.cookie.path=app");
        // a header injection through the cookie's Path attribute
        cases.put(with("readiness.sessions.cookie.path", "/app; Domain=evil.example"), "cookie.path=/app; Domain=");
        cases.put(with("readiness.sessions.cookie.path", "/app\r\nSet-Cookie: x=1"), "readiness.sessions.cookie.path");
        cases.put(with("readiness.sessions.redis.key-prefix", "app session:"), "readiness.sessions.redis.key-prefix");
        cases.put(with("readiness.sessions.redis.uri", "redis://"), "must start with redis://");
        cases.put(with("readiness.sessions.redis.uri", "redis://a:1,"), "readiness.sessions.redis.uri");
        cases.put(with("readiness.sessions.max-inactive-interval", "0s"), "readiness.sessions.max-inactive-interval=0s is invalid: must be");
        cases.put(with("readiness.sessions.max-size", "10"), "readiness.sessions.max-size=10 is invalid: must be between");
        cases.put(with("readiness.sessions.refresh-threshold", "1h"), "refresh-threshold=1h is invalid: must be less than readiness.sessions.max-inactive-interval (30m)");
        cases.put(with("readiness.sessions.redis.command-timeout", "-1s"), "readiness.sessions.redis.command-timeout");
        cases.put(with("readiness.sessions.redis.key-prefix", "app:{x}:"), "readiness.sessions.redis.key-prefix");
        cases.put(with("readiness.sessions.allowlist", "!*"), "readiness.sessions.allowlist");
        cases.put(with("readiness.sessions.max-size", "lots"), "lots");
        cases.put(with("readiness.sessions.max-inactive-interval", "soon"), "soon");
        cases.put(with("readiness.sessions.redis.near-cache.max-bytes", "1024"),
                "readiness.sessions.redis.near-cache.max-bytes=1024 is invalid: must be between 65536");
        cases.put(with("readiness.sessions.redis.near-cache.max-bytes", "-1"), "near-cache.max-bytes=-1");
        cases.put(with("readiness.sessions.redis.near-cache.max-bytes", "16MB"), "16MB");
        cases.put(with("readiness.sessions.redis.near-cache.enabled", "maybe"), "maybe");
        cases.forEach((props, message) -> assertThatThrownBy(() -> settings(props))
                .as(props.toString()).isInstanceOf(ReadinessConfigException.class).hasMessageContaining(message));
    }

    @Test
    void waitReplicasIsOffByDefaultAndItsBadValuesNameTheKey() {
        SessionSettings d = settings(with());
        assertThat(d.waitReplicas()).as("off: no WAIT").isZero();
        assertThat(d.waitTimeout()).isEqualTo(Duration.ofMillis(100));
        SessionSettings s = settings(with("readiness.sessions.redis.wait-replicas", "2",
                "readiness.sessions.redis.wait-timeout", "250ms"));
        assertThat(s.waitReplicas()).isEqualTo(2);
        assertThat(s.waitTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.toString()).contains("redis.wait-replicas=2", "redis.wait-timeout=250ms");
        // a short command timeout needs no wait-timeout below it while nothing waits
        assertThat(settings(with("readiness.sessions.redis.command-timeout", "50ms")).waitReplicas()).isZero();

        Map<Map<String, String>, String> cases = new java.util.LinkedHashMap<>();
        String key = "readiness.sessions.redis.wait-replicas";
        cases.put(with(key, "-1"), key + "=-1 is invalid: must be between 0 (off) and 16 replicas");
        cases.put(with(key, "17"), key + "=17 is invalid: must be between 0 (off) and 16");
        cases.put(with(key, "99999999999"), key + "=99999999999");
        cases.put(with(key, "two"), key + "=two");
        cases.put(with(key, "1.5"), key + "=1.5");
        cases.put(with(key, "1; DEBUG SLEEP 10"), key);
        String timeout = "readiness.sessions.redis.wait-timeout";
        cases.put(with(key, "1", timeout, "0ms"), timeout + "=0ms is invalid: must be between 1ms and 1m");
        cases.put(with(key, "1", timeout, "-5ms"), timeout);
        cases.put(with(key, "1", timeout, "forever"), timeout + "=forever");
        cases.put(with(key, "1", timeout, "2s"), timeout + "=2s is invalid: must be less than"
                + " readiness.sessions.redis.command-timeout (2s)");
        cases.put(with(key, "1", timeout, "100ms", "readiness.sessions.redis.command-timeout", "50ms"),
                timeout + "=100ms is invalid: must be less than readiness.sessions.redis.command-timeout (50ms)");
        cases.forEach((props, message) -> assertThatThrownBy(() -> settings(props))
                .as(props.toString()).isInstanceOf(ReadinessConfigException.class).hasMessageContaining(message));
    }

    @Test
    void aSentinelUriMayListSeveralSentinelsButNotBeACluster() {
        String uri = "redis-sentinel://:pw@s1:26379,s2:26379/0#sessions";
        assertThat(settings(with("readiness.sessions.redis.uri", uri)).redisUri()).isEqualTo(uri);
        assertThatThrownBy(() -> settings(with("readiness.sessions.redis.uri", uri, "readiness.sessions.redis.cluster", "true")))
                .isInstanceOf(ReadinessConfigException.class).hasMessageContaining("readiness.sessions.redis.cluster");
    }

    @Test
    void aPasswordInABadUriIsNotEchoed() {
        assertThatThrownBy(() -> settings(with("readiness.sessions.redis.uri", "http://user:hunter2@redis")))
                .isInstanceOf(ReadinessConfigException.class).hasMessageNotContaining("hunter2");
    }

    @Test
    void aPasswordAloneInTheUriIsNotEchoedEither() {
        // redis://secret@host: the user part is the password (Redis before ACLs)
        assertThatThrownBy(() -> settings(with("readiness.sessions.redis.uri", "redis://hunter2@a:1,redis://hunter2@b:2")))
                .isInstanceOf(ReadinessConfigException.class).hasMessageContaining("redis://***@a:1")
                .hasMessageNotContaining("hunter2");
        assertThat(settings(with("readiness.sessions.redis.uri", "redis://user:hunter2@redis:6379")).toString())
                .contains("redis://user:***@redis:6379").doesNotContain("hunter2");
    }

    @Test
    void anEmptyValueIsNoValue() {
        assertThat(settings(with("readiness.sessions.cookie.name", "", "readiness.sessions.max-size", " ")).cookieName())
                .isEqualTo("SESSION");
    }

    @Test
    void theJdkAndJsonCodecsAreBuiltFromTheSettings() {
        assertThat(settings(with("readiness.sessions.codec", "JSON")).createCodec().name()).isEqualTo("json");
        assertThat(SessionSettings.builder().redisUri("redis://x").allowlist(List.of("a.B")).codec(SessionSettings.Codec.JDK).build()
                .createCodec().name()).isEqualTo("jdk");
    }
}
