package dev.readiness.spring.boot.autoconfigure.actuate;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.SimpleHttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Pure logic: the groups Actuator builds from the application's settings, reshaped. */
class ProbeGroupsPostProcessorTest {

    private final ProbeGroupsPostProcessor processor = new ProbeGroupsPostProcessor();

    @Test
    void aLivenessGroupThatIncludesEverythingHoldsOnlyTheLivenessProbe() {
        HealthEndpointGroups groups = processor.postProcessHealthEndpointGroups(HealthEndpointGroups.of(
                new FakeGroup(Set.of("*"), null), Map.of("liveness", new FakeGroup(Set.of("*"), "/livez"))));
        HealthEndpointGroup liveness = groups.get("liveness");
        assertThat(liveness.isMember("livenessState")).isTrue();
        assertThat(liveness.isMember("db")).isFalse();
        assertThat(liveness.isMember("redis")).isFalse();
        assertThat(liveness.isMember("diskSpace")).isFalse();
        assertThat(liveness.getAdditionalPath().getValue()).isEqualTo("/livez");
        assertThat(groups.get(AdditionalHealthEndpointPath.of(WebServerNamespace.SERVER, "/livez")).isMember("db"))
                .isFalse();
    }

    @Test
    void aLivenessGroupNamingOnlyDependenciesStillAnswersFromTheLivenessProbe() {
        HealthEndpointGroups groups = processor.postProcessHealthEndpointGroups(HealthEndpointGroups.of(
                new FakeGroup(Set.of("*"), null), Map.of("liveness", new FakeGroup(Set.of("db"), null))));
        assertThat(groups.get("liveness").isMember("db")).isFalse();
        assertThat(groups.get("liveness").isMember("livenessState")).isTrue();
    }

    @Test
    void aStartupGroupIsAddedUnlessTheApplicationDefinesOne() {
        HealthEndpointGroups added = processor.postProcessHealthEndpointGroups(HealthEndpointGroups.of(
                new FakeGroup(Set.of("*"), null), Map.of("liveness", new FakeGroup(Set.of("*"), "/livez"))));
        assertThat(added.getNames()).contains("startup", "liveness");
        assertThat(added.get("startup").isMember("startupState")).isTrue();
        assertThat(added.get("startup").isMember("db")).isFalse();
        assertThat(added.get("startup").getAdditionalPath()).isNull();

        FakeGroup own = new FakeGroup(Set.of("db"), null);
        HealthEndpointGroups kept = processor.postProcessHealthEndpointGroups(HealthEndpointGroups.of(
                new FakeGroup(Set.of("*"), null), Map.of("startup", own)));
        assertThat(kept.get("startup")).isSameAs(own);
    }

    @Test
    void otherGroupsAreLeftAlone() {
        FakeGroup readiness = new FakeGroup(Set.of("readinessState", "db"), null);
        HealthEndpointGroups groups = processor.postProcessHealthEndpointGroups(
                HealthEndpointGroups.of(new FakeGroup(Set.of("*"), null), Map.of("readiness", readiness)));
        assertThat(groups.get("readiness")).isSameAs(readiness);
        assertThat(groups.get("nope")).isNull();
    }

    /** A group as Actuator's include/exclude settings would make it. */
    private record FakeGroup(Set<String> include, String path) implements HealthEndpointGroup {

        @Override
        public boolean isMember(String name) {
            return include.contains("*") || include.contains(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return true;
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return true;
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return StatusAggregator.getDefault();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return new SimpleHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return path == null ? null : AdditionalHealthEndpointPath.of(WebServerNamespace.SERVER, path);
        }
    }
}
