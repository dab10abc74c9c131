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

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules shipped to users, run against small offenders and a well-behaved check. */
class ReadinessArchRulesTest {

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
    void aLocalCheckReadingInProcessStatePasses() {
        assertThatCode(() -> ReadinessArchRules.LIVENESS_CHECKS_STAY_LOCAL.check(load(HeapCheck.class)))
                .doesNotThrowAnyException();
        assertThatCode(() -> ReadinessArchRules.livenessChecksStayLocalTransitively().check(load(HeapCheck.class)))
                .doesNotThrowAnyException();
    }

    @Test
    void livenessChecksReachingTheNetworkJdbcRedisOrHttpFail() {
        for (Class<?> offender : new Class<?>[] {SocketLivenessCheck.class, JdbcLivenessCheck.class,
                RedisLivenessCheck.class, HttpLivenessCheck.class}) {
            assertThatThrownBy(() -> ReadinessArchRules.LIVENESS_CHECKS_STAY_LOCAL.check(load(offender)))
                    .as(offender.getSimpleName())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining(offender.getSimpleName())
                    .hasMessageContaining("a liveness check must read only in-process state");
        }
    }

    @Test
    void theTransitiveRuleFollowsHelpers() {
        JavaClasses classes = load(IndirectLivenessCheck.class, Helper.class);
        assertThatCode(() -> ReadinessArchRules.LIVENESS_CHECKS_STAY_LOCAL.check(classes)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ReadinessArchRules.livenessChecksStayLocalTransitively().check(classes))
                .hasMessageContaining("IndirectLivenessCheck");
    }

    @Test
    void aClassThatIsBothKindsFails() {
        assertThatThrownBy(() -> ReadinessArchRules.LOCAL_CHECKS_ARE_NOT_DEPENDENCY_CHECKS.check(load(BothKinds.class)))
                .hasMessageContaining("BothKinds");
    }

    @Test
    void aCodeBaseWithoutLocalChecksPasses() {
        assertThatCode(() -> ReadinessArchRules.LIVENESS_CHECKS_STAY_LOCAL.check(load(Helper.class)))
                .doesNotThrowAnyException();
    }
}
