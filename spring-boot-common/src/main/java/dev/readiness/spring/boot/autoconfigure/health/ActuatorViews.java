package dev.readiness.spring.boot.autoconfigure.health;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.probe.CheckSnapshot;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.core.probe.ProbeReport;
import dev.readiness.spring.boot.autoconfigure.CheckContributor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What both Boot generations' Actuator integrations show and decide, without Actuator's types (Spring Boot 3.5 has
 * them in {@code org.springframework.boot.actuate.health}, Spring Boot 4 in {@code org.springframework.boot.health}):
 * the details of a probe and of a check, an indicator's health as a check result, and which indicators are evaluated
 * in the background. Each generation's indicators turn these maps into its own {@code Health}.
 */
public final class ActuatorViews {

    private static final Logger log = LoggerFactory.getLogger(ActuatorViews.class);
    private static final String READINESS_GROUP_INCLUDE = "management.endpoint.health.group.readiness.include";

    private ActuatorViews() {
    }

    /** A probe's details: its state, reason, whether degraded, and each check's status. */
    public static Map<String, Object> probeDetails(ProbeReport report) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", report.state().name());
        if (!report.reason().isEmpty()) {
            details.put("reason", report.reason());
        }
        if (report.degraded()) {
            details.put("degraded", true);
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        for (CheckSnapshot c : report.checks()) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("status", c.status().name());
            check.put("required", c.required());
            if (!c.message().isEmpty()) {
                check.put("message", c.message());
            }
            check.put("durationMs", c.lastDuration().toMillis());
            if (c.timedOut()) {
                check.put("timedOut", true);
            }
            checks.put(c.name(), check);
        }
        if (!checks.isEmpty()) {
            details.put("checks", checks);
        }
        return details;
    }

    /** A readiness check's latest result as an indicator's details. */
    public static Map<String, Object> checkDetails(CheckSnapshot c) {
        Map<String, Object> details = new LinkedHashMap<>(c.details());
        if (!c.message().isEmpty()) {
            details.put("message", c.message());
        }
        if (c.timedOut()) {
            details.put("timedOut", true);
        }
        if (c.lastCompleted() != null) {
            details.put("lastCompleted", c.lastCompleted().toString());
        }
        return details;
    }

    /** The readiness check of that name, or null when none is registered. */
    public static CheckSnapshot readinessCheck(HealthRegistry registry, String name) {
        for (CheckSnapshot c : registry.checks()) {
            if (c.probe() == Probe.READINESS && c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /**
     * An indicator's health as a check result: Actuator's {@code UP} is UP, any other status DOWN with the status
     * and the {@code error} detail in its message. Details that are not a number, a boolean or text are kept as
     * their {@code toString()}.
     */
    public static CheckResult checkResult(String statusCode, Map<String, ?> indicatorDetails) {
        Object error = indicatorDetails.get("error");
        CheckResult result = "UP".equals(statusCode) ? CheckResult.up()
                : CheckResult.down("status " + statusCode + (error == null ? "" : ": " + error));
        for (Map.Entry<String, ?> e : indicatorDetails.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Number || v instanceof Boolean || v instanceof CharSequence) {
                result = result.withDetail(e.getKey(), v);
            } else if (v != null) {
                result = result.withDetail(e.getKey(), v.toString());
            }
        }
        return result;
    }

    /** The names readiness checks itself for readiness: an indicator of one of these names shows that check. */
    public static Set<String> coveredChecks(ObjectProvider<CheckContributor> contributors) {
        Set<String> covered = new HashSet<>();
        contributors.orderedStream().forEach(c -> c.checks().stream()
                .filter(r -> r.probe() == Probe.READINESS)
                .forEach(r -> covered.add(r.name())));
        return covered;
    }

    /** The contributors Actuator's readiness group names ({@code *} for all): those are required for readiness. */
    public static Set<String> readinessGroupMembers(Environment environment) {
        return Binder.get(environment).bind(READINESS_GROUP_INCLUDE, Bindable.setOf(String.class)).orElse(Set.of());
    }

    /**
     * Replaces each blocking indicator that reads more than memory with one that answers the latest background
     * result. An indicator whose name readiness already checks ({@code covered}: the application's DataSource, Redis
     * factory...) is never evaluated; it shows that check. Any other is registered as a readiness check, required
     * when {@code requiredNames} names it, degraded otherwise. Composite and in-memory contributors stay as they are.
     *
     * @param checkOf    the contributor as a check, or null when it is not a blocking indicator to move to the
     *                   background
     * @param background the contributor that answers the named check's latest result in its place
     * @return the same names in the same order
     */
    public static <C> Map<String, C> inBackground(Map<String, C> contributors, HealthRegistry registry,
            CheckOptions options, Set<String> requiredNames, Set<String> covered,
            Function<C, DependencyCheck> checkOf, BiFunction<String, C, C> background) {
        Map<String, C> out = new LinkedHashMap<>();
        contributors.forEach((name, contributor) -> {
            DependencyCheck check = checkOf.apply(contributor);
            if (check != null && covered.contains(name)) {
                out.put(name, background.apply(name, contributor));
                return;
            }
            if (check != null) {
                boolean required = requiredNames.contains("*") || requiredNames.contains(name);
                try {
                    registry.readiness(name, check, options.toBuilder().required(required).build());
                    out.put(name, background.apply(name, contributor));
                    return;
                } catch (IllegalArgumentException e) {
                    log.warn("health indicator '{}' stays on the request thread: {}", name, e.getMessage());
                }
            }
            out.put(name, contributor);
        });
        return out;
    }
}
