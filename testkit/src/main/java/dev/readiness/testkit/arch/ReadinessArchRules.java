package dev.readiness.testkit.arch;

import com.tngtech.archunit.lang.ArchRule;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * ArchUnit rules for services that use readiness, to call from your own tests:
 * <pre>{@code
 * @AnalyzeClasses(packages = "com.example")
 * class ArchitectureTest {
 *     @ArchTest
 *     static final ArchRule livenessStaysLocal = ReadinessArchRules.LIVENESS_CHECKS_STAY_LOCAL;
 *     @ArchTest
 *     static final ArchRule oneKindOfCheck = ReadinessArchRules.LOCAL_CHECKS_ARE_NOT_DEPENDENCY_CHECKS;
 * }
 * }</pre>
 * A liveness probe restarts the pod when it fails, and a restart cures nothing outside the process: a liveness
 * check that reaches a database, Redis or another service restarts every replica at once when that dependency
 * fails. Only a {@code LocalCheck} can be registered for liveness, and these rules keep LocalChecks local.
 * <p>
 * ArchUnit sees classes, not lambdas: a LocalCheck written as a lambda is checked as part of the class that
 * declares it only through that class's own dependencies. Prefer named classes for checks.
 * <p>
 * The rules name readiness types as strings, so this class needs no other readiness module.
 */
public final class ReadinessArchRules {

    /** The type a liveness check implements. */
    public static final String LOCAL_CHECK = "dev.readiness.core.check.LocalCheck";
    /** The type of checks that reach outside the process. */
    public static final String DEPENDENCY_CHECK = "dev.readiness.core.check.DependencyCheck";

    /**
     * Packages a liveness check must not use: the network, JDBC and client libraries for databases, caches,
     * queues and HTTP.
     */
    public static final List<String> REMOTE_PACKAGES = List.of(
            "java.net..", "java.net.http..", "java.nio.channels..", "javax.net..",
            "java.sql..", "javax.sql..", "com.zaxxer.hikari..", "org.postgresql..", "com.mysql..",
            "org.mariadb..", "oracle.jdbc..", "com.microsoft.sqlserver..", "io.r2dbc..", "org.jdbi..",
            "org.jooq..", "org.hibernate..", "jakarta.persistence..", "javax.persistence..",
            "org.springframework.jdbc..", "org.springframework.data..",
            "io.lettuce..", "redis.clients..", "org.redisson..", "com.mongodb..", "org.apache.kafka..",
            "com.rabbitmq..", "software.amazon.awssdk..", "com.amazonaws..", "com.google.cloud..",
            "okhttp3..", "org.apache.http..", "org.apache.hc..", "org.eclipse.jetty.client..",
            "org.springframework.web.client..", "org.springframework.web.reactive.function.client..",
            "jakarta.ws.rs.client..", "javax.ws.rs.client..", "feign..", "retrofit2..", "io.vertx..",
            "io.netty..", "reactor.netty..", "io.grpc..");

    private static final String BECAUSE = "a liveness check must read only in-process state: when a shared"
            + " dependency fails, a liveness check that reaches it restarts every replica at once, and a restart"
            + " cures nothing. Make it a DependencyCheck and register it for readiness";

    /** LocalCheck implementations do not depend on anything in {@link #REMOTE_PACKAGES}. */
    public static final ArchRule LIVENESS_CHECKS_STAY_LOCAL = noClasses()
            .that().implement(LOCAL_CHECK)
            .should().dependOnClassesThat().resideInAnyPackage(REMOTE_PACKAGES.toArray(String[]::new))
            .because(BECAUSE)
            .allowEmptyShould(true);

    /** No class is both a LocalCheck and a DependencyCheck (the registry refuses such a class for liveness). */
    public static final ArchRule LOCAL_CHECKS_ARE_NOT_DEPENDENCY_CHECKS = noClasses()
            .that().implement(LOCAL_CHECK)
            .should().implement(DEPENDENCY_CHECK)
            .because("a class that is both kinds of check hides a dependency behind a local check")
            .allowEmptyShould(true);

    private ReadinessArchRules() {
    }

    /**
     * Like {@link #LIVENESS_CHECKS_STAY_LOCAL}, but follows dependencies through the imported classes: a
     * LocalCheck that calls a service of yours that uses JDBC fails too. Stricter, and noisier when a check
     * holds a reference to a class that also does I/O elsewhere.
     */
    public static ArchRule livenessChecksStayLocalTransitively() {
        return noClasses()
                .that().implement(LOCAL_CHECK)
                .should().transitivelyDependOnClassesThat().resideInAnyPackage(REMOTE_PACKAGES.toArray(String[]::new))
                .because(BECAUSE)
                .allowEmptyShould(true);
    }
}
