package dev.readiness.spring.boot.autoconfigure;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.probe.AvailabilityState;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.core.thread.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Keeps Spring's {@link ApplicationAvailability} and the {@link HealthRegistry} in step, both ways.
 * <ul>
 *   <li>registry to Spring: when readiness or liveness changes, an {@link AvailabilityChangeEvent} is published
 *       ({@link ReadinessState#ACCEPTING_TRAFFIC} only in {@link AvailabilityState#READY};
 *       {@link LivenessState#BROKEN} when the liveness probe is DOWN);</li>
 *   <li>Spring to registry: {@link ReadinessState#REFUSING_TRAFFIC} published by anyone else becomes
 *       {@link HealthRegistry#refuseTraffic}, {@link ReadinessState#ACCEPTING_TRAFFIC} undoes it, and
 *       {@link LivenessState#BROKEN} turns the {@value #LIVENESS_CHECK} liveness check DOWN;</li>
 *   <li>{@link ApplicationReadyEvent} is {@link HealthRegistry#markStarted()}, {@link ContextClosedEvent}
 *       begins the drain, and so does the {@link ReadinessState#REFUSING_TRAFFIC} that Spring Boot's web server
 *       contexts publish as their close begins, just before that event.</li>
 * </ul>
 * Events are published from one thread of the bridge's own, never from a check thread holding the registry's
 * lock: a Spring listener that blocks or creates beans cannot deadlock the registry. Each publication
 * compares the registry with Spring's current state, so bursts coalesce and the last word is always the
 * registry's.
 */
final class SpringAvailabilityBridge implements GenericApplicationListener, DisposableBean {

    /** Name of the liveness check that follows {@link LivenessState} events published by the application. */
    static final String LIVENESS_CHECK = "applicationLiveness";

    private static final Logger log = LoggerFactory.getLogger(SpringAvailabilityBridge.class);

    private final HealthRegistry registry;
    private final ApplicationAvailability availability;
    private final ApplicationContext context;
    private final ExecutorService events = Executors.newSingleThreadExecutor(
            DaemonThreads.named("readiness-availability-events"));
    private volatile LivenessState applicationLiveness = LivenessState.CORRECT;
    private volatile boolean publishing;

    SpringAvailabilityBridge(HealthRegistry registry, ApplicationAvailability availability,
                             ApplicationContext context) {
        this.registry = registry;
        this.availability = availability;
        this.context = context;
        registry.liveness(LIVENESS_CHECK, () -> applicationLiveness == LivenessState.BROKEN
                ? CheckResult.down("the application published LivenessState.BROKEN")
                : CheckResult.up());
        registry.addListener((previous, current) -> sync());
        registry.addCheckListener((probe, check, result, took, timedOut) -> {
            if (probe == Probe.LIVENESS) {
                sync();
            }
        });
    }

    @Override
    public boolean supportsEventType(ResolvableType eventType) {
        Class<?> type = eventType.toClass();
        return AvailabilityChangeEvent.class.isAssignableFrom(type)
                || ApplicationReadyEvent.class.isAssignableFrom(type)
                || ContextClosedEvent.class.isAssignableFrom(type);
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationReadyEvent ready && ready.getApplicationContext() == context) {
            publishing = true;
            registry.markStarted();
            sync();
        } else if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
            if (registry.beginDrain()) {
                log.info("application context closing: readiness DOWN, draining");
            }
        } else if (event instanceof AvailabilityChangeEvent<?> change && change.getSource() == context
                && change.getState() == ReadinessState.REFUSING_TRAFFIC && closing()) {
            // Spring Boot's web server contexts publish REFUSING_TRAFFIC as their close begins, just before the
            // ContextClosedEvent: the drain begins here, so nothing sees "not ready" first (HAProxy's agent-check
            // would read "down" and mark the server DOWN instead of draining it)
            if (registry.beginDrain()) {
                log.info("application context closing: readiness DOWN, draining");
            }
        } else if (event instanceof AvailabilityChangeEvent<?> change && change.getSource() != this) {
            onForeignChange(change.getState());
        }
    }

    /** Whether this thread is inside an application context's {@code doClose}. */
    private static boolean closing() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames.anyMatch(f ->
                f.getMethodName().equals("doClose")
                        && AbstractApplicationContext.class.isAssignableFrom(f.getDeclaringClass())));
    }

    private void onForeignChange(Object state) {
        if (state == ReadinessState.REFUSING_TRAFFIC) {
            registry.refuseTraffic("ReadinessState.REFUSING_TRAFFIC published by the application");
        } else if (state == ReadinessState.ACCEPTING_TRAFFIC) {
            registry.acceptTraffic();
        } else if (state instanceof LivenessState liveness) {
            applicationLiveness = liveness;
        }
        // Spring now holds the other party's word; put the registry's back once it has settled.
        sync();
    }

    /** Publishes the registry's state where Spring's differs, on the bridge's thread. */
    void sync() {
        if (!publishing) {
            return;
        }
        try {
            events.execute(this::publishDifferences);
        } catch (RejectedExecutionException closed) {
            // the context is closing; nobody is listening any more
        }
    }

    private void publishDifferences() {
        try {
            ReadinessState readiness = registry.state() == AvailabilityState.READY
                    ? ReadinessState.ACCEPTING_TRAFFIC : ReadinessState.REFUSING_TRAFFIC;
            if (availability.getReadinessState() != readiness) {
                AvailabilityChangeEvent.publish(context, this, readiness);
            }
            // the application's own BROKEN counts at once, before the liveness check has run again
            LivenessState liveness = registry.report(Probe.LIVENESS).isUp()
                    && applicationLiveness != LivenessState.BROKEN ? LivenessState.CORRECT : LivenessState.BROKEN;
            if (availability.getLivenessState() != liveness) {
                AvailabilityChangeEvent.publish(context, this, liveness);
            }
        } catch (RuntimeException e) {
            log.debug("could not publish availability: {}", e.toString());
        }
    }

    @Override
    public void destroy() {
        publishing = false;
        events.shutdownNow();
    }
}
