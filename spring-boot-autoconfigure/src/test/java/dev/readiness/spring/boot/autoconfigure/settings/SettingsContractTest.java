package dev.readiness.spring.boot.autoconfigure.settings;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsProvider;
import dev.readiness.core.config.SettingsSource;
import dev.readiness.core.config.Syntax;
import dev.readiness.spring.boot.autoconfigure.ReadinessSettings;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import dev.readiness.testkit.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.mock.env.MockEnvironment;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every key every module declares, against its builder once (defaults, broken, missing and hostile text), and
 * through each front end (SmallRye Config, Spring Boot's environment): a value reaches the builder, and a bad one
 * fails naming the key.
 */
class SettingsContractTest {

    /** Texts no key's syntax reads. */
    private static final List<String> BROKEN = List.of("not-a-value", "5 s s", "1x", "tru", "0x10", "--1");
    /** Texts that must never escape as anything but a refusal naming the key, or a plain value. */
    private static final List<String> HOSTILE = List.of("${java.home}", "a\u0000b", "1s\nreadiness.x=1",
            "9".repeat(40) + "s", "x".repeat(10_000), "\uD83D\uDCA5", "-0s", "PT-1H", "1,,2", "'; rm -rf /");
    /** Candidates for a valid value other than the default, whatever the key's syntax. */
    private static final List<String> CANDIDATES = List.of("7s", "2s", "250ms", "10ms", "3m", "2h", "0s", "3",
            "2", "1", "0", "true", "false", "/tmp/readiness-sample", "8080", "jvm", "sample",
            "redis://127.0.0.1:6379", "rediss://127.0.0.1:6380", "mirror", "jdk", "set", "Strict", "131072");

    /**
     * Keys whose valid values are files: made here, real ones, with the other keys they need. Everything else
     * these keys are tested with (broken, missing, hostile) needs no fixture.
     */
    private static final Map<String, Map<String, String>> FIXTURES = new HashMap<>();
    private static SelfSignedCertificate cert;

    @BeforeAll
    static void files() throws Exception {
        cert = SelfSignedCertificate.generate("settings-contract", "ip:127.0.0.1");
        String tls = "rediss://127.0.0.1:6380";
        FIXTURES.put("readiness.sessions.redis.tls.ca-file", Map.of("readiness.sessions.redis.uri", tls,
                "readiness.sessions.redis.tls.ca-file", cert.certificatePem().toString()));
        Map<String, String> store = Map.of("readiness.sessions.redis.uri", tls,
                "readiness.sessions.redis.tls.truststore", cert.trustStore().toString(),
                "readiness.sessions.redis.tls.truststore-password", cert.password());
        FIXTURES.put("readiness.sessions.redis.tls.truststore", store);
        FIXTURES.put("readiness.sessions.redis.tls.truststore-password", store);
    }

    @AfterAll
    static void deleteFiles() {
        cert.close();
    }

    record Entry(Keys<?, ?> keys, Key<?> key) {
        @Override
        public String toString() {
            return key.name();
        }
    }

    static List<Keys<?, ?>> settings() {
        return SettingsProvider.all(SettingsContractTest.class.getClassLoader());
    }

    static Stream<Entry> keys() {
        return settings().stream().flatMap(k -> k.keys().stream().map(key -> new Entry(k, key)));
    }

    @Test
    void theModulesOnTheClassPathDeclareTheirSettings() {
        assertThat(settings()).extracting(Keys::prefix).contains("readiness.checks", "readiness.drain",
                "readiness.listen", "readiness.config", "readiness.management", "readiness.jolokia", "readiness.gc",
                "readiness.grpc", "readiness.sessions");
        assertThat(FIXTURES.keySet()).allSatisfy(k -> assertThat(keys().map(e -> e.key().name())).contains(k));
        assertThat(keys().map(e -> e.key().name())).doesNotHaveDuplicates().hasSizeGreaterThan(20)
                .allSatisfy(n -> assertThat(n).matches("readiness(\\.[a-z0-9]+(-[a-z0-9]+)*)+"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void theDefaultFollowsTheRuleAndReadsBackFromItsOwnText(Entry e) {
        Key<?> key = e.key();
        assertThat(key.meaning()).isNotBlank();
        assertThat(key.allowed()).startsWith("must ");
        if (key.defaultValue() != null) {
            roundTrip(key);
        } else {
            assertThat(key.defaultText()).as("what leaving %s unset means", key.name()).isPresent();
        }
    }

    private static <T> void roundTrip(Key<T> key) {
        assertThat(key.check(key.defaultValue())).isEqualTo(key.defaultValue());
        assertThat(key.parse(key.syntax().format(key.defaultValue()))).isEqualTo(key.defaultValue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void missingKeysKeepTheDefault(Entry e) {
        Map<String, String> base = base(e.keys());
        String withDefaults = read(e.keys(), SettingsSource.of(base));
        Map<String, String> blank = new HashMap<>(base);
        if (!base.containsKey(e.key().name())) {
            blank.put(e.key().name(), "   ");
            assertThat(read(e.keys(), SettingsSource.of(blank))).isEqualTo(withDefaults);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void brokenTextIsRefusedNamingTheKeyAndTheValue(Entry e) {
        if (e.key().syntax() == Syntax.TEXT) {
            return; // free text: any text is text; its rule is tested with the hostile values below
        }
        for (String text : BROKEN) {
            Map<String, String> values = new HashMap<>(base(e.keys()));
            values.put(e.key().name(), text);
            Throwable t = catchThrowable(() -> read(e.keys(), SettingsSource.of(values)));
            if (t == null) {
                continue; // some syntaxes read some of these (a path reads "1x"); the others must refuse
            }
            assertRefusal(t, e.key(), text);
        }
        long refused = BROKEN.stream().filter(text -> {
            Map<String, String> values = new HashMap<>(base(e.keys()));
            values.put(e.key().name(), text);
            return catchThrowable(() -> read(e.keys(), SettingsSource.of(values))) != null;
        }).count();
        assertThat(refused).as("broken texts %s refuses", e.key().name())
                .isGreaterThanOrEqualTo(e.key().syntax() == Syntax.PATH ? 0 : 4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void hostileTextIsRefusedNamingTheKeyOrReadAsPlainText(Entry e) {
        for (String text : HOSTILE) {
            Map<String, String> values = new HashMap<>(base(e.keys()));
            values.put(e.key().name(), text);
            Throwable t = catchThrowable(() -> read(e.keys(), SettingsSource.of(values)));
            if (t != null) {
                assertRefusal(t, e.key(), text);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void aValueReachesTheBuilder(Entry e) {
        assertThat(sample(e)).as("a valid value of %s other than its default changes what is built",
                e.key().name()).isPresent();
    }

    @Test
    void aTrustStorePasswordIsNeverShown() {
        Keys<?, ?> sessions = settings().stream().filter(k -> k.prefix().equals("readiness.sessions")).findFirst()
                .orElseThrow();
        Map<String, String> wrong = new HashMap<>(FIXTURES.get("readiness.sessions.redis.tls.truststore"));
        wrong.put("readiness.sessions.redis.tls.truststore-password", "hunter2-not-it");
        assertThatThrownBy(() -> read(sessions, SettingsSource.of(wrong))).isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("wrong password").hasMessageNotContaining("hunter2");
        assertThat(read(sessions, SettingsSource.of(FIXTURES.get("readiness.sessions.redis.tls.truststore"))))
                .contains("truststore-password=***").doesNotContain(cert.password());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void smallRyeConfigReachesTheBuilderAndNamesTheKey(Entry e) {
        Map<String, String> base = base(e.keys());
        Map<String, String> values = sample(e).orElseThrow();
        String expected = read(e.keys(), SettingsSource.of(values));
        assertThat(read(e.keys(), SettingsSource.of(ReadinessConfig.of(
                new PropertiesConfigSource(values, "application", 100))))).isEqualTo(expected);
        Map<String, String> env = new HashMap<>();
        values.forEach((k, v) -> env.put(k.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), v));
        assertThat(read(e.keys(), SettingsSource.of(ReadinessConfig.of(new EnvConfigSource(env, 300)))))
                .as("environment variables").isEqualTo(expected);
        if (e.key().syntax() != Syntax.TEXT && e.key().syntax() != Syntax.PATH) {
            Map<String, String> bad = new HashMap<>(base);
            bad.put(e.key().name(), "not-a-value");
            assertRefusal(catchThrowable(() -> read(e.keys(), SettingsSource.of(ReadinessConfig.of(
                    new PropertiesConfigSource(bad, "application", 100))))), e.key(), "not-a-value");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void springBootsEnvironmentReachesTheBuilderAndNamesTheKey(Entry e) {
        Map<String, String> values = sample(e).orElseThrow();
        String expected = read(e.keys(), SettingsSource.of(values));
        MockEnvironment kebab = new MockEnvironment();
        values.forEach(kebab::setProperty);
        assertThat(read(e.keys(), ReadinessSettings.of(kebab))).isEqualTo(expected);
        MockEnvironment camel = new MockEnvironment();
        values.forEach((k, v) -> camel.setProperty(camel(k), v));
        assertThat(read(e.keys(), ReadinessSettings.of(camel))).as("relaxed name %s", camel(e.key().name()))
                .isEqualTo(expected);
        if (e.key().syntax() != Syntax.TEXT && e.key().syntax() != Syntax.PATH) {
            MockEnvironment bad = new MockEnvironment();
            base(e.keys()).forEach(bad::setProperty);
            bad.setProperty(e.key().name(), "not-a-value");
            assertRefusal(catchThrowable(() -> read(e.keys(), ReadinessSettings.of(bad))), e.key(), "not-a-value");
        }
    }

    @Test
    void aBareNumberIsNotADurationInAnyFrontEnd() {
        // Spring Boot alone used to read readiness.drain.timeout=5 as 5 ms; the core refused it.
        Keys<?, ?> drain = settings().stream().filter(k -> k.prefix().equals("readiness.drain")).findFirst()
                .orElseThrow();
        Key<?> timeout = drain.keys().stream().filter(k -> k.name().equals("readiness.drain.timeout")).findFirst()
                .orElseThrow();
        MockEnvironment env = new MockEnvironment().withProperty("readiness.drain.timeout", "5");
        assertRefusal(catchThrowable(() -> read(drain, ReadinessSettings.of(env))), timeout, "5");
        assertRefusal(catchThrowable(() -> read(drain, SettingsSource.of(ReadinessConfig.of(
                        new PropertiesConfigSource(Map.of("readiness.drain.timeout", "5"), "p", 100))))),
                timeout, "5");
        assertThatThrownBy(() -> read(drain, ReadinessSettings.of(env)))
                .hasMessageContaining("a bare number has no unit");
    }

    /** A refusal naming {@code key} and the value as written, or as the key shows it (a password never). */
    private static void assertRefusal(Throwable t, Key<?> key, String value) {
        assertThat(t).as("%s=%s", key.name(), value).isInstanceOf(ReadinessConfigException.class);
        ReadinessConfigException r = (ReadinessConfigException) t;
        assertThat(r.key()).isEqualTo(key.name());
        assertThat(r.getMessage()).startsWith(key.name() + "=").contains(" is invalid: must ");
        if (value.length() < 200 && value.indexOf('\u0000') < 0) {
            assertThat(r.value()).isEqualTo(key.show(value));
        }
        if (!key.show("not-a-password").equals("not-a-password") && value.length() > 3) {
            assertThat(r.getMessage()).as("a secret is never shown").doesNotContain(value);
        }
    }

    /** The values of a valid text of the key, other than its default, that changes what the builder builds. */
    private static Optional<Map<String, String>> sample(Entry e) {
        Map<String, String> base = base(e.keys());
        String defaults = read(e.keys(), SettingsSource.of(base));
        Map<String, String> fixture = FIXTURES.get(e.key().name());
        if (fixture != null) {
            Map<String, String> values = new HashMap<>(base);
            values.putAll(fixture);
            return read(e.keys(), SettingsSource.of(values)).equals(defaults) ? Optional.empty() : Optional.of(values);
        }
        for (String candidate : CANDIDATES) {
            Map<String, String> values = new HashMap<>(base);
            values.put(e.key().name(), candidate);
            try {
                if (!read(e.keys(), SettingsSource.of(values)).equals(defaults)) {
                    return Optional.of(values);
                }
            } catch (ReadinessConfigException refused) {
                // not a value of this key, or not with the others at their defaults: try the next
            }
        }
        return Optional.empty();
    }

    /** The smallest set of keys without which the feature cannot be built (readiness.config.dir), set to a sample. */
    private static Map<String, String> base(Keys<?, ?> keys) {
        Map<String, String> base = new HashMap<>();
        for (int i = 0; i < keys.keys().size(); i++) {
            try {
                read(keys, SettingsSource.of(base));
                return base;
            } catch (ReadinessConfigException e) {
                String required = e.key();
                String value = CANDIDATES.stream().filter(c -> {
                    Map<String, String> m = new HashMap<>(base);
                    m.put(required, c);
                    try {
                        read(keys, SettingsSource.of(m));
                        return true;
                    } catch (ReadinessConfigException again) {
                        return !required.equals(again.key());
                    }
                }).findFirst().orElseThrow(() -> e);
                base.put(required, value);
            }
        }
        return base;
    }

    private static String read(Keys<?, ?> keys, SettingsSource source) {
        return String.valueOf(keys.read(source));
    }

    private static String camel(String key) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : key.toCharArray()) {
            if (c == '-') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }
}
