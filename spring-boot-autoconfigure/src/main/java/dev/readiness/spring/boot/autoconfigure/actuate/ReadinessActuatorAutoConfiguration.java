package dev.readiness.spring.boot.autoconfigure.actuate;

import dev.readiness.spring.boot.autoconfigure.ConditionalOnReadinessFlag;
import dev.readiness.spring.boot.autoconfigure.ReadinessSettings;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import dev.readiness.spring.boot.autoconfigure.CheckContributor;
import dev.readiness.spring.boot.autoconfigure.health.ActuatorViews;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorNameGenerator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.registry.DefaultHealthContributorRegistry;
import org.springframework.boot.health.registry.HealthContributorNameValidator;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Feeds Spring Boot Actuator's health probes from readiness' background-evaluated checks:
 * <ul>
 *   <li>{@code livenessState}, {@code readinessState} and {@code startupState} indicators read readiness'
 *       probe reports, replacing Actuator's indicators of the first two names;</li>
 *   <li>the {@code liveness} group only ever holds {@code livenessState}, and a {@code startup} group is
 *       added ({@link ProbeGroupsPostProcessor});</li>
 *   <li>every other blocking HealthIndicator is evaluated in the background as a readiness dependency check
 *       ({@code readiness.actuator.background-indicators}), required when Actuator's readiness group names
 *       it.</li>
 * </ul>
 * Off with {@code readiness.actuator.enabled=false}.
 */
@AutoConfiguration(after = ReadinessAutoConfiguration.class, beforeName = {
        "org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration",
        "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration",
        "org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration",
        "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration"})
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

        /** Actuator's registry, with blocking indicators replaced by background-evaluated ones. */
        @Bean
        @ConditionalOnMissingBean(HealthContributorRegistry.class)
        DefaultHealthContributorRegistry healthContributorRegistry(Map<String, HealthContributor> contributorBeans,
                ObjectProvider<HealthContributorNameGenerator> nameGenerator,
                List<HealthContributorNameValidator> nameValidators, HealthRegistry registry,
                ReadinessSettings settings, Environment environment,
                ObjectProvider<CheckContributor> contributors) {
            HealthContributorNameGenerator names =
                    nameGenerator.getIfAvailable(HealthContributorNameGenerator::withoutStandardSuffixes);
            Map<String, HealthContributor> byName = new LinkedHashMap<>();
            contributorBeans.forEach((bean, contributor) ->
                    byName.put(names.generateContributorName(bean), contributor));
            Set<String> required = ActuatorViews.readinessGroupMembers(environment);
            // a DataSource or Redis factory that readiness checks already is never checked a second time by
            // Boot's indicator of the same name: the indicator shows readiness' result instead
            Map<String, HealthContributor> wrapped = BackgroundIndicators.wrap(byName, registry,
                    settings.checks(), required, ActuatorViews.coveredChecks(contributors));
            return new DefaultHealthContributorRegistry(nameValidators,
                    HealthContributorNameGenerator.unchanged().registrar(wrapped));
        }

        /** Boot's reactive indicators (Redis' with Reactor) that a readiness check covers show that check. */
        @Bean
        @ConditionalOnClass(name = "reactor.core.publisher.Mono")
        ReactiveIndicatorsCovered readinessReactiveIndicatorsCovered(
                ObjectProvider<ReactiveHealthContributorRegistry> reactive,
                HealthContributorRegistry blocking, HealthRegistry registry,
                ObjectProvider<CheckContributor> contributors) {
            return new ReactiveIndicatorsCovered(reactive, blocking, registry,
                    () -> ActuatorViews.coveredChecks(contributors));
        }
    }
}
