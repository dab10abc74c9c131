package dev.readiness.spring.boot.autoconfigure.dependencies;

import dev.readiness.spring.boot.autoconfigure.ConditionalOnReadinessFlag;
import dev.readiness.spring.boot.autoconfigure.ReadinessSettings;
import com.zaxxer.hikari.HikariDataSource;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.health.check.jdbc.HikariPoolCheck;
import dev.readiness.health.check.redis.RedisPingCheck;
import dev.readiness.health.check.resilience4j.CircuitBreakerCheck;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import dev.readiness.spring.boot.autoconfigure.ReadinessProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.RedisClient;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The application's HikariCP pools, Lettuce connection factories and Resilience4j circuit breakers become
 * readiness checks by themselves, evaluated in the background on the {@code readiness.checks.*} schedule with
 * readiness-health's checks. Boot's own {@code db} and {@code redis} indicators are then not evaluated a second
 * time: with Actuator they show the result of readiness' check of the same name. Off with
 * {@code readiness.dependencies.enabled=false}. They are degraded, not required, unless
 * {@code readiness.dependencies.required} names them: a shared dependency's outage must not take every replica out
 * of the Service (see the policy table in probes.md).
 */
@AutoConfiguration(after = ReadinessAutoConfiguration.class)
@ConditionalOnBean(HealthRegistry.class)
@ConditionalOnClass(HikariPoolCheck.class)
@ConditionalOnReadinessFlag("readiness.dependencies.enabled")
public final class ReadinessDependenciesAutoConfiguration {

    ReadinessDependenciesAutoConfiguration() {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({HikariDataSource.class, HikariPoolCheck.class})
    static final class DataSources {

        @Bean
        @ConditionalOnMissingBean
        DataSourceChecks readinessDataSourceChecks(ListableBeanFactory beans, ReadinessSettings settings,
                                                   ReadinessProperties properties) {
            return new DataSourceChecks(beans, settings.checks(), properties.getDependencies());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({LettuceConnectionFactory.class, RedisClient.class, RedisPingCheck.class})
    static final class Redis {

        @Bean
        @ConditionalOnMissingBean
        RedisChecks readinessRedisChecks(ListableBeanFactory beans, ReadinessSettings settings,
                                         ReadinessProperties properties) {
            return new RedisChecks(beans, settings.checks(), properties.getDependencies());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({CircuitBreaker.class, CircuitBreakerCheck.class})
    static final class CircuitBreakers {

        @Bean
        @ConditionalOnMissingBean
        CircuitBreakerChecks readinessCircuitBreakerChecks(ListableBeanFactory beans, ReadinessSettings settings,
                                                           ReadinessProperties properties) {
            return new CircuitBreakerChecks(beans, settings.checks(), properties.getDependencies());
        }
    }
}
