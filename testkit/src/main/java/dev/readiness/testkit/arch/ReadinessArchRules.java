package dev.readiness.testkit.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
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
    private static final String CHECK_API = "dev.readiness.core.check";

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

    /**
     * LocalCheck implementations do not depend on anything in {@link #REMOTE_PACKAGES}, nor on a DependencyCheck
     * (a LocalCheck that calls a DependencyCheck's {@code check(timeout)} is a dependency check disguised for
     * liveness). Passes on classes that hold no LocalCheck, for code bases without one.
     */
    public static final ArchRule LIVENESS_CHECKS_STAY_LOCAL = noClasses()
            .that().implement(LOCAL_CHECK)
            .should().dependOnClassesThat(remoteOrDependencyCheck())
            .because(BECAUSE)
            .allowEmptyShould(true);

    /**
     * No class is both a LocalCheck and a DependencyCheck (the registry refuses such a class for liveness). Passes
     * on classes that hold no LocalCheck.
     */
    public static final ArchRule LOCAL_CHECKS_ARE_NOT_DEPENDENCY_CHECKS = noClasses()
            .that().implement(LOCAL_CHECK)
            .should().implement(DEPENDENCY_CHECK)
            .because("a class that is both kinds of check hides a dependency behind a local check")
            .allowEmptyShould(true);

    private ReadinessArchRules() {
    }

    private static DescribedPredicate<JavaClass> remoteOrDependencyCheck() {
        return JavaClass.Predicates.resideInAnyPackage(REMOTE_PACKAGES.toArray(String[]::new))
                .or(JavaClass.Predicates.assignableTo(DEPENDENCY_CHECK))
                .as("reside in any package of ReadinessArchRules.REMOTE_PACKAGES or are a " + DEPENDENCY_CHECK);
    }

    /**
     * Like {@link #LIVENESS_CHECKS_STAY_LOCAL}, but follows dependencies through the imported classes: a
     * LocalCheck that calls a service of yours that uses JDBC fails too. Stricter, and noisier when a check
     * holds a reference to a class that also does I/O elsewhere.
     * <p>
     * It follows your classes and libraries, not the JDK's own: {@code java.lang.Object} leads to
     * {@code Class}, {@code ClassLoader} and {@code java.net.URL}, so once the JDK's classes are imported every
     * class would "reach the network". A JDK class in {@link #REMOTE_PACKAGES} is still found when your code or a
     * library uses it. Nor does it follow readiness' check API ({@code LocalCheck} names {@code DependencyCheck}
     * to refuse it): a check that uses a DependencyCheck is found where it names one.
     */
    public static ArchRule livenessChecksStayLocalTransitively() {
        return classes()
                .that().implement(LOCAL_CHECK)
                .should(notReachTransitively(remoteOrDependencyCheck()))
                .because(BECAUSE)
                .allowEmptyShould(true);
    }

    private static ArchCondition<JavaClass> notReachTransitively(DescribedPredicate<JavaClass> target) {
        return new ArchCondition<>("not transitively depend on classes that " + target.getDescription()
                + ", following dependencies through classes outside the JDK and readiness' check API") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                // breadth first; each class mapped to the one it was reached from
                Map<JavaClass, JavaClass> via = new HashMap<>();
                Deque<JavaClass> next = new ArrayDeque<>(List.of(origin));
                via.put(origin, origin);
                while (!next.isEmpty()) {
                    JavaClass c = next.poll();
                    for (Dependency d : c.getDirectDependenciesFromSelf()) {
                        JavaClass t = d.getTargetClass().getBaseComponentType();
                        if (via.containsKey(t)) {
                            continue;
                        }
                        via.put(t, c);
                        if (target.test(t)) {
                            events.add(SimpleConditionEvent.violated(origin, "Class <" + origin.getName()
                                    + "> transitively depends on <" + t.getName() + "> by " + path(via, origin, t)));
                        } else if (!isJdk(t) && !t.getPackageName().equals(CHECK_API)) {
                            next.add(t);
                        }
                    }
                }
            }
        };
    }

    private static String path(Map<JavaClass, JavaClass> via, JavaClass origin, JavaClass target) {
        Deque<String> names = new ArrayDeque<>();
        for (JavaClass c = target; !c.equals(origin); c = via.get(c)) {
            names.push(c.getName());
        }
        return "[" + String.join("->", names) + "]";
    }

    private static boolean isJdk(JavaClass c) {
        String p = c.getPackageName();
        return p.startsWith("java.") || p.startsWith("javax.") || p.startsWith("jdk.") || p.startsWith("sun.")
                || p.startsWith("com.sun.");
    }
}
