package dev.readiness.health.check.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.health.check.HangScenarios;
import dev.readiness.health.management.ManagementServer;
import dev.readiness.testkit.TcpProxy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A real PostgreSQL behind HikariCP, reached through a TCP proxy that can stop forwarding. */
class HikariPoolCheckIT {

    private static EmbeddedPostgres postgres;

    private TcpProxy proxy;
    private HikariDataSource pool;
    private HealthRegistry registry;
    private ManagementServer server;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        proxy = TcpProxy.start("127.0.0.1", postgres.getPort());
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres");
        c.setUsername("postgres");
        c.setMaximumPoolSize(3);
        c.setMinimumIdle(1);
        c.setPoolName("orders"); // connectionTimeout left at HikariCP's 30 s: the check must not wait for it
        pool = new HikariDataSource(c);
        registry = HealthRegistry.create();
        server = ManagementServer.builder(registry).host("127.0.0.1").port(0).details(true).start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void reportsThePoolFiguresFromItsMXBean() throws Exception {
        CheckResult r = HikariPoolCheck.of(pool).check(Duration.ofSeconds(2));
        assertThat(r.isUp()).isTrue();
        assertThat(r.details()).containsKeys("active", "idle", "total", "waiting").containsEntry("max", 3);
        assertThat(HikariPoolCheck.of(pool).validationQuery("SELECT 1").check(Duration.ofSeconds(2)).isUp()).isTrue();
    }

    @Test
    void livenessStaysUpAndReadinessTurnsDownWhilePostgresHangs() {
        registry.readiness("postgres", HikariPoolCheck.of(pool).validationQuery("SELECT 1"), HangScenarios.OPTIONS)
                .start();
        registry.markStarted();
        HangScenarios.of(server).run(registry, proxy::pause, proxy::resume);
    }

    @Test
    void anExhaustedPoolIsDownWithinTheTimeoutNotTheConnectionTimeout() throws Exception {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(pool.getConnection());
            }
            long start = System.nanoTime();
            CheckResult r = HikariPoolCheck.of(pool).check(Duration.ofMillis(300));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(r.isUp()).isFalse();
            assertThat(r.message()).contains("SQLTransientConnectionException");
            assertThat(r.details()).containsEntry("active", 3);
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }

    @Test
    void aBrokenValidationQueryIsDownWithTheDatabaseError() throws Exception {
        CheckResult r = HikariPoolCheck.of(pool).validationQuery("SELEC 1").check(Duration.ofSeconds(2));
        assertThat(r.isUp()).isFalse();
        assertThat(r.message()).contains("syntax error");
    }

    @Test
    void aClosedPoolIsDown() throws Exception {
        pool.close();
        assertThat(HikariPoolCheck.of(pool).check(Duration.ofSeconds(1)).message()).isEqualTo("pool orders is closed");
    }
}
