package dev.readiness.health.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.check.LocalCheck;
import dev.readiness.testkit.arch.ReadinessArchRules;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.Socket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rules shipped to users, run against fixtures that break each rule (the rule fails, naming the class and what it
 * reached) and fixtures that keep it (the rule passes having matched them: {@code allowEmptyShould(false)}, so a
 * pass is never the empty pass). Here and not in readiness-testkit's own tests because the fixtures implement
 * readiness-core's check types and use Lettuce and HikariCP, and readiness-core already depends on the testkit
 * for its tests: a test dependency back would be a cycle in the reactor.
 */
class ReadinessArchRulesTest {

    private static final String STAY_LOCAL_RULE = "Rule 'no classes that implement dev.readiness.core.check.LocalCheck"
            + " should depend on classes that reside in any package of ReadinessArchRules.REMOTE_PACKAGES or are a"
            + " dev.readiness.core.check.DependencyCheck, because a liveness check must read only in-process state";

    static final class HeapCheck implements LocalCheck {
        @Override
        public CheckResult check() {
            return CheckResult.of(Runtime.getRuntime().freeMemory() > 0, "no free heap");
        }
    }

    static final class SocketLivenessCheck implements LocalCheck {
        @Override
        public CheckResult check() {
            try (Socket s = new Socket("db", 5432)) {
                return CheckResult.up();
            } catch (java.io.IOException e) {
                return CheckResult.down(e);
            }
        }
    }

    static final class JdbcLivenessCheck implements LocalCheck {
        private final DataSource dataSource;

        JdbcLivenessCheck(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        public CheckResult check() {
            try (var c = dataSource.getConnection()) {
                return CheckResult.up();
            } catch (java.sql.SQLException e) {
                return CheckResult.down(e);
            }
        }
    }

    static final class RedisLivenessCheck implements LocalCheck {
        private final StatefulRedisConnection<String, String> redis;

        RedisLivenessCheck(StatefulRedisConnection<String, String> redis) {
            this.redis = redis;
        }

        @Override
        public CheckResult check() {
            return CheckResult.of("PONG".equals(redis.sync().ping()), "no PONG");
        }
    }

    static final class HttpLivenessCheck implements LocalCheck {
        private final HttpClient client = HttpClient.newHttpClient();

        @Override
        public CheckResult check() {
            return CheckResult.of(client.version() != null, "no client");
        }
    }

    /** Uses JDBC only through a helper: caught by the transitive rule. */
    static final class IndirectLivenessCheck implements LocalCheck {
        private final Helper helper = new Helper();

        @Override
        public CheckResult check() {
            return CheckResult.of(helper.ping(), "down");
        }
    }

    static final class Helper {
        boolean ping() {
            try {
                return java.sql.DriverManager.getConnection("jdbc:none").isValid(1);
            } catch (java.sql.SQLException e) {
                return false;
            }
        }
    }

    /** A DependencyCheck laundered through a LocalCheck: it reaches no remote package itself. */
    static final class WrappingLivenessCheck implements LocalCheck {
        private final DependencyCheck database;

        WrappingLivenessCheck(DependencyCheck database) {
            this.database = database;
        }

        @Override
        public CheckResult check() {
            try {
                return database.check(Duration.ofSeconds(1));
            } catch (Exception e) {
                return CheckResult.down(e);
            }
        }
    }

    /** A check that reaches the network, correctly a DependencyCheck: no LocalCheck rule is about it. */
    static final class SocketReadinessCheck implements DependencyCheck {
        @Override
        public CheckResult check(Duration timeout) throws java.io.IOException {
            try (Socket s = new Socket("db", 5432)) {
                return CheckResult.up();
            }
        }
    }

    static final class BothKinds implements LocalCheck, DependencyCheck {
        @Override
        public CheckResult check() {
            return CheckResult.up();
        }

        @Override
        public CheckResult check(Duration timeout) {
            return CheckResult.up();
        }
    }

    private static JavaClasses load(Class<?>... classes) {
        return new ClassFileImporter().importClasses(classes);
    }

    @Test
    void aLocalCheckReadingInProcessStateKeepsEveryRule() {
        JavaClasses keeps = load(HeapCheck.class, SocketReadinessCheck.class);
        assertThatCode(() -> ReadinessArchRules.LIVENESS_CHECKS_STAY_LOCAL.allowEmptyShould(false).check(keeps))
                .doesNotThrowAnyException();
        assertThatCode(() -> ReadinessArchRules.livenessChecksStayLocalTransitively().allowEmptyShould(false)
                .check(keeps)).doesNotThrowAnyException();
        assertThatCode(() -> ReadinessArchRules.LOCAL_CHECKS_ARE_NOT_DEPENDENCY_CHECKS.allowEmptyShould(false)
                .check(keeps)).doesNotThrowAnyException();
    }

    @Test
    void livenessChecksReachingTheNetworkJdbcRedisOrHttpFailNamingWhatTheyReached() {
        Map<Class<?>, String> reached = new LinkedHashMap<>();
        reached.put(SocketLivenessCheck.class, "calls constructor <java.net.Socket.<init>(java.lang.String, int)>");
        reached.put(JdbcLivenessCheck.class, "calls method <javax.sql.DataSource.getConnection()>");
        reached.put(RedisLivenessCheck.class, "calls method <io.lettuce.core.api.StatefulRedisConnection.sync()>");
        reached.put(HttpLivenessCheck.class, "calls method <java.net.http.HttpClient.version()>");
        reached.put(WrappingLivenessCheck.class,
                "calls method <dev.readiness.core.check.DependencyCheck.check(java.time.Duration)>");
        for (Map.Entry<Class<?>, String> e : reached.entrySet()) {
            Class<?> offender = e.getKey();
            assertThatThrownBy(() -> ReadinessArchRules.LIVENESS_CHECKS_STAY_LOCAL.check(load(offender)))
                    .as(offender.getSimpleName())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining(STAY_LOCAL_RULE)
                    .hasMessageContaining("Make it a DependencyCheck and register it for readiness")
                    .hasMessageContaining("<" + offender.getName() + ".check()> " + e.getValue());
        }
    }

    @Test
    void theTransitiveRuleFollowsHelpers() {
        JavaClasses classes = load(IndirectLivenessCheck.class, Helper.class);
        assertThatCode(() -> ReadinessArchRules.LIVENESS_CHECKS_STAY_LOCAL.check(classes)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ReadinessArchRules.livenessChecksStayLocalTransitively().check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("transitively depend on classes that reside in any package of"
                        + " ReadinessArchRules.REMOTE_PACKAGES")
                .hasMessageContaining(IndirectLivenessCheck.class.getName())
                .hasMessageContaining("java.sql.DriverManager");
    }

    @Test
    void theTransitiveRuleDoesNotFollowTheJdksOwnClassesToTheNetwork() {
        // Object -> Class -> ClassLoader -> java.net.URL: followed through the JDK, every class reaches java.net
        JavaClasses withJdk = load(HeapCheck.class, Object.class, Class.class, ClassLoader.class, java.net.URL.class,
                Runtime.class);
        assertThatCode(() -> ReadinessArchRules.livenessChecksStayLocalTransitively().allowEmptyShould(false)
                .check(withJdk)).doesNotThrowAnyException();
    }

    @Test
    void aClassThatIsBothKindsFails() {
        assertThatThrownBy(() -> ReadinessArchRules.LOCAL_CHECKS_ARE_NOT_DEPENDENCY_CHECKS.check(load(BothKinds.class)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Rule 'no classes that implement dev.readiness.core.check.LocalCheck should"
                        + " implement dev.readiness.core.check.DependencyCheck, because a class that is both kinds of"
                        + " check hides a dependency behind a local check' was violated (1 times)")
                .hasMessageContaining(BothKinds.class.getName());
    }

    @Test
    void aCodeBaseWithoutLocalChecksPassesAsShippedAndFailsWhenEmptyIsNotAllowed() {
        // As shipped, the rules pass where there is nothing to check (a service with no LocalCheck yet); this
        // project's own runs say allowEmptyShould(false) wherever a module holds a LocalCheck, so they never pass
        // for that reason.
        JavaClasses none = load(Helper.class, SocketReadinessCheck.class);
        assertThatCode(() -> ReadinessArchRules.LIVENESS_CHECKS_STAY_LOCAL.check(none)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ReadinessArchRules.LIVENESS_CHECKS_STAY_LOCAL.allowEmptyShould(false).check(none))
                .isInstanceOf(AssertionError.class).hasMessageContaining("failed to check any classes");
    }
}
