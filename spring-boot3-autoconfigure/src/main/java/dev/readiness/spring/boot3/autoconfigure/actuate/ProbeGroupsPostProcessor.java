package dev.readiness.spring.boot3.autoconfigure.actuate;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.health.AdditionalHealthEndpointPath;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.StatusAggregator;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Shapes Spring Boot 3.5 Actuator's probe groups:
 * <ul>
 *   <li>{@code liveness} only ever holds {@value ProbeHealthIndicator#LIVENESS_STATE}, readiness'
 *       liveness probe (in-process checks only), even when the application defines the group itself: Actuator
 *       puts every indicator in a group whose {@code include} is empty or {@code *}, and a liveness group that
 *       follows the database restarts every replica when the database fails;</li>
 *   <li>{@code startup} is added, holding {@value ProbeHealthIndicator#STARTUP_STATE}, unless the
 *       application defines it.</li>
 * </ul>
 * Works whether Actuator's own probe post-processor ran before or after this one: either way the liveness
 * group that answers is filtered.
 */
final class ProbeGroupsPostProcessor implements HealthEndpointGroupsPostProcessor {

    static final String LIVENESS = "liveness";
    static final String STARTUP = "startup";

    @Override
    public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
        return new ProbeGroups(groups);
    }

    private static final class ProbeGroups implements HealthEndpointGroups {

        private final HealthEndpointGroups delegate;

        ProbeGroups(HealthEndpointGroups delegate) {
            this.delegate = delegate;
        }

        @Override
        public HealthEndpointGroup getPrimary() {
            return delegate.getPrimary();
        }

        @Override
        public Set<String> getNames() {
            Set<String> names = new LinkedHashSet<>(delegate.getNames());
            names.add(STARTUP);
            return Collections.unmodifiableSet(names);
        }

        @Override
        public HealthEndpointGroup get(String name) {
            HealthEndpointGroup group = delegate.get(name);
            if (LIVENESS.equals(name) && group != null) {
                return new OnlyMembers(group, ProbeHealthIndicator.LIVENESS_STATE, true);
            }
            if (STARTUP.equals(name) && group == null) {
                HealthEndpointGroup template = delegate.get(LIVENESS);
                return new OnlyMembers(template != null ? template : delegate.getPrimary(),
                        ProbeHealthIndicator.STARTUP_STATE, false);
            }
            return group;
        }
    }

    /** A group whose membership is cut down to one contributor; everything else as its delegate says. */
    private static final class OnlyMembers implements HealthEndpointGroup {

        private final HealthEndpointGroup delegate;
        private final String member;
        private final boolean keepPath;

        OnlyMembers(HealthEndpointGroup delegate, String member, boolean keepPath) {
            this.delegate = delegate;
            this.member = member;
            this.keepPath = keepPath;
        }

        @Override
        public boolean isMember(String name) {
            // whatever the application's group includes (db, redis, "*"), liveness answers from our probe alone
            return member.equals(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return delegate.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return delegate.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return delegate.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return delegate.getHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return keepPath ? delegate.getAdditionalPath() : null;
        }
    }
}
