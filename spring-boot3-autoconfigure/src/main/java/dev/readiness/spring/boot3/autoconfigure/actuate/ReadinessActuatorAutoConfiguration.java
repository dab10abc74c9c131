package dev.readiness.spring.boot3.autoconfigure.actuate;

import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.spring.boot.autoconfigure.CheckContributor;
import dev.readiness.spring.boot.autoconfigure.ConditionalOnReadinessFlag;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import dev.readiness.spring.boot.autoconfigure.ReadinessSettings;
import dev.readiness.spring.boot.autoconfigure.health.ActuatorViews;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.availability.AvailabilityStateHealthIndicator;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.CompositeReactiveHealthContributor;
import org.springframework.boot.actuate.health.DefaultHealthContributorRegistry;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthContributorNameFactory;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.actuate.health.PingHealthIndicator;
import org.springframework.boot.actuate.health.ReactiveHealthContributor;
import org.springframework.boot.actuate.health.ReactiveHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Feeds Spring Boot 3.5 Actuator's health probes from readiness' background-evaluated checks, as the Spring Boot 4
 * starter does on Boot 4's health module:
 * <ul>
 *   <li>{@code livenessState}, {@code readinessState} and {@code startupState} indicators read readiness' probe
 *       reports, replacing Actuator's indicators of the first two names;</li>
 *   <li>the {@code liveness} group only ever holds {@code livenessState}, and a {@code startup} group is added
 *       ({@link ProbeGroupsPostProcessor}); Actuator's probe groups are on by default, as on Boot 4
 *       ({@link ActuatorProbesDefault});</li>
 *   <li>every other blocking HealthIndicator, and every reactive one Boot 3.5 would block on, is evaluated in the
 *       background as a readiness dependency check ({@code readiness.actuator.background-indicators}), required
 *       when Actuator's readiness group names it.</li>
 * </ul>
 * Off with {@code readiness.actuator.enabled=false}.
 */
@AutoConfiguration(after = ReadinessAutoConfiguration.class, beforeName = {
        "org.springframework.boot.actuate.autoconfigure.availability.AvailabilityHealthContributorAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration"})
@ConditionalOnClass({HealthRegistry.class, HealthIndicator.class})
@ConditionalOnBean(HealthRegistry.class)
@ConditionalOnReadinessFlag("readiness.actuator.enabled")
public final class ReadinessActuatorAutoConfiguration {

    ReadinessActuatorAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean(name = "livenessStateHealthIndicator")
    ProbeHealthIndicator livenessStateHealthIndicator(HealthRegistry registry) {
        return new ProbeHealthIndicator(registry, Probe.LIVENESS);
    }

    @Bean
    @ConditionalOnMissingBean(name = "readinessStateHealthIndicator")
    ProbeHealthIndicator readinessStateHealthIndicator(HealthRegistry registry) {
        return new ProbeHealthIndicator(registry, Probe.READINESS);
    }

    @Bean
    @ConditionalOnMissingBean(name = "startupStateHealthIndicator")
    ProbeHealthIndicator startupStateHealthIndicator(HealthRegistry registry) {
        return new ProbeHealthIndicator(registry, Probe.STARTUP);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    static final class ProbeGroupsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ProbeGroupsPostProcessor readinessProbeGroupsPostProcessor() {
            return new ProbeGroupsPostProcessor();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnReadinessFlag("readiness.actuator.background-indicators")
    static final class BackgroundIndicatorsConfiguration {

        /**
         * Actuator's registry as Boot 3.5 builds it (bean names without their {@code HealthIndicator} suffix,
         * reactive contributors adapted when Reactor is present, no name that is also a group's), with blocking
         * indicators replaced by background-evaluated ones. An indicator whose name a readiness check covers (the
         * application's DataSource, Redis factory...) shows that check and is never called.
         */
        @Bean
        @ConditionalOnMissingBean(HealthContributorRegistry.class)
        HealthContributorRegistry healthContributorRegistry(Map<String, HealthContributor> contributorBeans,
                Map<String, ReactiveHealthContributor> reactiveBeans, ObjectProvider<HealthEndpointGroups> groups,
                HealthRegistry registry, ReadinessSettings settings, Environment environment,
                ObjectProvider<CheckContributor> contributors) {
            Map<String, HealthContributor> byName = new LinkedHashMap<>();
            contributorBeans.forEach((bean, contributor) ->
                    byName.put(HealthContributorNameFactory.INSTANCE.apply(bean), contributor));
            if (ClassUtils.isPresent("reactor.core.publisher.Flux", getClass().getClassLoader())) {
                reactiveBeans.forEach((bean, contributor) ->
                        byName.putIfAbsent(HealthContributorNameFactory.INSTANCE.apply(bean), blocking(contributor)));
            }
            HealthEndpointGroups endpointGroups = groups.getIfAvailable();
            if (endpointGroups != null) {
                for (String name : byName.keySet()) {
                    if (endpointGroups.getNames().contains(name)) {
                        throw new IllegalStateException("HealthContributor with name \"" + name
                                + "\" clashes with group");
                    }
                }
            }
            Map<String, HealthContributor> wrapped = ActuatorViews.inBackground(byName, registry, settings.checks(),
                    ActuatorViews.readinessGroupMembers(environment), ActuatorViews.coveredChecks(contributors),
                    c -> c instanceof HealthIndicator indicator && !inMemory(indicator)
                            ? BackgroundHealthIndicator.asCheck(indicator) : null,
                    (name, c) -> new BackgroundHealthIndicator(registry, name, (HealthIndicator) c));
            return new DefaultHealthContributorRegistry(wrapped, Function.identity());
        }

        private static boolean inMemory(HealthIndicator indicator) {
            return indicator instanceof ProbeHealthIndicator || indicator instanceof BackgroundHealthIndicator
                    || indicator instanceof PingHealthIndicator
                    || indicator instanceof AvailabilityStateHealthIndicator;
        }

        /** What Boot 3.5's health endpoint would block on for a reactive contributor, to evaluate in the background. */
        static HealthContributor blocking(ReactiveHealthContributor contributor) {
            if (contributor instanceof ReactiveHealthIndicator indicator) {
                return new HealthIndicator() {
                    @Override
                    public Health getHealth(boolean includeDetails) {
                        return indicator.getHealth(includeDetails).block();
                    }

                    @Override
                    public Health health() {
                        return indicator.health().block();
                    }

                    @Override
                    public String toString() {
                        return indicator.toString();
                    }
                };
            }
            if (contributor instanceof CompositeReactiveHealthContributor composite) {
                Map<String, HealthContributor> members = new LinkedHashMap<>();
                for (NamedContributor<ReactiveHealthContributor> member : composite) {
                    members.put(member.getName(), blocking(member.getContributor()));
                }
                return CompositeHealthContributor.fromMap(members);
            }
            throw new IllegalStateException("unknown reactive health contributor type " + contributor.getClass());
        }
    }
}
