package dev.readiness.spring.boot.autoconfigure;

import dev.readiness.core.check.Check;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registers the context's {@link CheckRegistration} beans and plain check beans with the {@link HealthRegistry}
 * once every singleton exists, then starts the registry. A check bean that a {@code CheckRegistration} already
 * names is not registered a second time.
 */
final class CheckBeanRegistrar implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(CheckBeanRegistrar.class);

    private final ListableBeanFactory beans;
    private final HealthRegistry registry;

    CheckBeanRegistrar(ListableBeanFactory beans, HealthRegistry registry) {
        this.beans = beans;
        this.registry = registry;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Set<Check> registered = Collections.newSetFromMap(new IdentityHashMap<>());
        for (CheckRegistration r : beans.getBeansOfType(CheckRegistration.class).values()) {
            try {
                r.registerWith(registry);
            } catch (IllegalArgumentException e) {
                throw new InvalidCheckException(r.name(), r.probe(), e);
            }
            registered.add(r.check());
        }
        // a contributor's checks are defaults: a check the application registers under the same name wins
        Set<String> taken = new HashSet<>();
        for (CheckRegistration r : beans.getBeansOfType(CheckRegistration.class).values()) {
            taken.add(r.probe().tag() + "/" + r.name());
        }
        for (CheckContributor c : beans.getBeansOfType(CheckContributor.class).values()) {
            for (CheckRegistration r : c.checks()) {
                if (!taken.add(r.probe().tag() + "/" + r.name())) {
                    log.info("{} check '{}' is registered by the application; the starter's is not", r.probe().tag(),
                            r.name());
                    continue;
                }
                if (!registered.add(r.check())) {
                    continue;
                }
                try {
                    r.registerWith(registry);
                } catch (IllegalArgumentException e) {
                    throw new InvalidCheckException(r.name(), r.probe(), e);
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Check> e : beans.getBeansOfType(Check.class).entrySet()) {
            if (registered.add(e.getValue())) {
                register(e.getKey(), e.getValue());
                names.add(e.getKey());
            }
        }
        warnAboutUnknownRequiredNames();
        registry.start();
        log.debug("registered check beans {} and started the health registry", names);
    }

    /** A name in readiness.dependencies.required that no readiness check has is most likely a typo: say so. */
    private void warnAboutUnknownRequiredNames() {
        ReadinessProperties properties = beans.getBeanProvider(ReadinessProperties.class).getIfAvailable();
        if (properties == null) {
            return;
        }
        Set<String> readiness = new java.util.TreeSet<>();
        for (dev.readiness.core.probe.CheckSnapshot c : registry.checks()) {
            if (c.probe() == Probe.READINESS) {
                readiness.add(c.name());
            }
        }
        for (String name : properties.getDependencies().getRequired()) {
            String n = name == null ? "" : name.trim();
            if (!n.isEmpty() && !n.equals("*") && !readiness.contains(n)) {
                log.warn("readiness.dependencies.required names '{}', but no readiness check has that name, so it"
                        + " requires nothing; the readiness checks are {}", n, readiness);
            }
        }
    }

    private void register(String beanName, Check check) {
        boolean liveness = beans.findAnnotationOnBean(beanName, LivenessCheck.class) != null;
        boolean startup = beans.findAnnotationOnBean(beanName, StartupCheck.class) != null;
        if (liveness && startup) {
            throw new InvalidCheckException(beanName, Probe.LIVENESS, new IllegalArgumentException("check bean '" + beanName + "' is annotated both @LivenessCheck and"
                    + " @StartupCheck; declare two CheckRegistration beans to register it for both probes"));
        }
        Probe probe = liveness ? Probe.LIVENESS : startup ? Probe.STARTUP : Probe.READINESS;
        // for liveness anything but a pure LocalCheck is refused here, with the reason
        try {
            CheckRegistration.ofBean(probe, beanName, check).registerWith(registry);
        } catch (IllegalArgumentException e) {
            throw new InvalidCheckException(beanName, probe, e);
        }
    }
}
