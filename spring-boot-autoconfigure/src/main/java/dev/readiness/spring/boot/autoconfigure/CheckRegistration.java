package dev.readiness.spring.boot.autoconfigure;

import dev.readiness.core.check.Check;
import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.LocalCheck;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;

import java.util.Objects;

/**
 * A check to register with the application's {@link HealthRegistry}, declared as a bean. Every
 * {@code CheckRegistration} bean in the context is registered when the context has created its singletons,
 * before the registry starts. Use it to give a check a name or options of its own; a plain
 * {@link dev.readiness.core.check.LocalCheck} or {@link dev.readiness.core.check.DependencyCheck} bean is
 * registered as well (see {@link LivenessCheck}).
 * <pre>
 * &#64;Bean
 * CheckRegistration inventoryCheck(InventoryClient client) {
 *     return CheckRegistration.readiness("inventory", timeout -&gt; client.ping(timeout),
 *             CheckOptions.builder().interval(Duration.ofSeconds(10)).build());
 * }
 * </pre>
 * Immutable. A {@link dev.readiness.core.check.DependencyCheck} cannot be built into a liveness registration:
 * {@link #liveness} accepts only a {@link LocalCheck}.
 *
 * @param probe   the probe the check belongs to
 * @param name    the check name, unique within its probe ({@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}})
 * @param check   the check
 * @param options its schedule, or {@code null} for the registry's defaults for its kind
 *                ({@code readiness.checks.*} for dependency checks)
 */
public record CheckRegistration(Probe probe, String name, Check check, CheckOptions options) {

    public CheckRegistration {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
    }

    /** An in-process check for liveness; only a {@link LocalCheck} compiles here. */
    public static CheckRegistration liveness(String name, LocalCheck check) {
        return new CheckRegistration(Probe.LIVENESS, name, check, null);
    }

    public static CheckRegistration liveness(String name, LocalCheck check, CheckOptions options) {
        return new CheckRegistration(Probe.LIVENESS, name, check, Objects.requireNonNull(options, "options"));
    }

    /** A check for readiness with the defaults for its kind. */
    public static CheckRegistration readiness(String name, Check check) {
        return new CheckRegistration(Probe.READINESS, name, check, null);
    }

    public static CheckRegistration readiness(String name, Check check, CheckOptions options) {
        return new CheckRegistration(Probe.READINESS, name, check, Objects.requireNonNull(options, "options"));
    }

    /** A check that must pass before startup completes. */
    public static CheckRegistration startup(String name, Check check) {
        return new CheckRegistration(Probe.STARTUP, name, check, null);
    }

    public static CheckRegistration startup(String name, Check check, CheckOptions options) {
        return new CheckRegistration(Probe.STARTUP, name, check, Objects.requireNonNull(options, "options"));
    }

    /**
     * Registers this check with {@code registry}.
     *
     * @throws IllegalArgumentException when the name is invalid or taken, or when a check that is not purely
     *                                  local is registered for liveness
     */
    public void registerWith(HealthRegistry registry) {
        switch (probe) {
            case LIVENESS -> {
                if (!(check instanceof LocalCheck local)) {
                    // the registry refuses it with the full explanation
                    registry.register(Probe.LIVENESS, name, check, CheckOptions.defaults());
                    return;
                }
                if (options == null) {
                    registry.liveness(name, local);
                } else {
                    registry.liveness(name, local, options);
                }
            }
            case READINESS -> {
                if (options == null) {
                    registry.readiness(name, check);
                } else {
                    registry.readiness(name, check, options);
                }
            }
            case STARTUP -> {
                if (options == null) {
                    registry.startup(name, check);
                } else {
                    registry.startup(name, check, options);
                }
            }
        }
    }
}
