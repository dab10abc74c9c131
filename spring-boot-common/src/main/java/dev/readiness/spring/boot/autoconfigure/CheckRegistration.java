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
 * {@link #liveness} accepts only a {@link LocalCheck}, and there is no public constructor taking a {@link Probe}
 * and any {@link Check} (a record's would be one). Only the starter's own path for a check bean annotated
 * {@link LivenessCheck}, whose type is known at run time, converts with {@link LocalCheck#requireLocal}, which
 * refuses a DependencyCheck at start with the reason.
 */
public final class CheckRegistration {

    private final Probe probe;
    private final String name;
    private final Check check;
    private final CheckOptions options;

    private CheckRegistration(Probe probe, String name, Check check, CheckOptions options) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.name = Objects.requireNonNull(name, "name");
        this.check = Objects.requireNonNull(check, "check");
        this.options = options;
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
     * A check bean's registration, for a probe chosen by its annotation at run time.
     *
     * @throws IllegalArgumentException for liveness when the bean is a DependencyCheck, saying why
     */
    static CheckRegistration ofBean(Probe probe, String beanName, Check check) {
        return new CheckRegistration(probe, beanName,
                probe == Probe.LIVENESS ? LocalCheck.requireLocal(beanName, check) : check, null);
    }

    /** The probe the check belongs to. */
    public Probe probe() {
        return probe;
    }

    /** The check name, unique within its probe. */
    public String name() {
        return name;
    }

    public Check check() {
        return check;
    }

    /** Its schedule, or {@code null} for the registry's defaults for its kind. */
    public CheckOptions options() {
        return options;
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
                LocalCheck local = (LocalCheck) check; // every path that builds a liveness registration typed it
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

    @Override
    public String toString() {
        return "CheckRegistration[" + probe.tag() + " '" + name + "' " + check.getClass().getName() + "]";
    }
}
