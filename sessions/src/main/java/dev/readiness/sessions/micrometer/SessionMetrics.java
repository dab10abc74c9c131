package dev.readiness.sessions.micrometer;

import dev.readiness.sessions.SessionEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Session meters. Pass it as the {@link SessionEvents} of the store and the filter, and bind it to a registry:
 * <ul>
 *   <li>{@code readiness.sessions.load}, {@code readiness.sessions.save}: timers of Redis round trips</li>
 *   <li>{@code readiness.sessions.redis.commands}: Redis commands per HTTP request (summary)</li>
 *   <li>{@code readiness.sessions.payload}: bytes read (op=load) and written (op=save)</li>
 *   <li>{@code readiness.sessions.decode.failures}: attributes dropped because they could not be decoded</li>
 *   <li>{@code readiness.sessions.redis.errors}: failed Redis operations, tagged {@code op} and {@code kind}
 *       ({@code timeout}, {@code connection}, {@code redis-error}: Redis answered with an error)</li>
 *   <li>{@code readiness.sessions.refused}: what was refused as hostile or oversized, tagged {@code reason}
 *       ({@link SessionEvents#REFUSALS})</li>
 *   <li>{@code readiness.sessions.near.cache}: the near cache's hits, misses, invalidations (pushed by Redis) and
 *       flushes, tagged {@code event}</li>
 *   <li>{@code readiness.sessions.changed.in.place}: attribute values saved because the request changed them in
 *       place without calling {@code setAttribute} (which code relies on that)</li>
 *   <li>{@code readiness.sessions.redis.unconfirmed}: with {@code readiness.sessions.redis.wait-replicas}, writes
 *       fewer replicas confirmed, tagged {@code reason} ({@code short}: WAIT answered fewer; {@code skipped}: not
 *       waited for, in the pause after a short answer)</li>
 *   <li>{@code readiness.sessions.container.fallback}: mirror-mode requests served from the container's session
 *       while Redis did not answer</li>
 * </ul>
 * Events before {@link #bindTo} are not recorded.
 */
public final class SessionMetrics implements SessionEvents, MeterBinder {

    private volatile MeterRegistry registry;
    private volatile Timer load;
    private volatile Timer save;
    private volatile DistributionSummary commands;
    private volatile DistributionSummary loadBytes;
    private volatile DistributionSummary saveBytes;
    private volatile Counter decodeFailures;
    private volatile Counter changedInPlace;
    private volatile Counter fallback;
    private volatile Map<String, Counter> nearCache = Map.of();
    private volatile Map<String, Counter> refused = Map.of();
    private volatile Map<String, Counter> unconfirmed = Map.of();

    @Override
    public void bindTo(MeterRegistry registry) {
        load = Timer.builder("readiness.sessions.load").description("Loading a session from Redis").register(registry);
        save = Timer.builder("readiness.sessions.save").description("Saving, refreshing, rotating or deleting a session")
                .register(registry);
        commands = DistributionSummary.builder("readiness.sessions.redis.commands")
                .description("Redis commands sent per HTTP request").register(registry);
        loadBytes = DistributionSummary.builder("readiness.sessions.payload").baseUnit("bytes").tag("op", "load")
                .description("Session payload bytes").register(registry);
        saveBytes = DistributionSummary.builder("readiness.sessions.payload").baseUnit("bytes").tag("op", "save")
                .description("Session payload bytes").register(registry);
        decodeFailures = Counter.builder("readiness.sessions.decode.failures")
                .description("Attributes dropped because they could not be decoded").register(registry);
        changedInPlace = Counter.builder("readiness.sessions.changed.in.place")
                .description("Attribute values saved because they were changed in place, without setAttribute")
                .register(registry);
        fallback = Counter.builder("readiness.sessions.container.fallback")
                .description("Mirror-mode requests served from the container's session while Redis did not answer")
                .register(registry);
        Map<String, Counter> near = new HashMap<>();
        for (String event : NEAR_CACHE_EVENTS) {
            near.put(event, Counter.builder("readiness.sessions.near.cache").tag("event", event)
                    .description("Near cache hits, misses, invalidations pushed by Redis, and flushes").register(registry));
        }
        nearCache = Map.copyOf(near);
        Map<String, Counter> refusals = new HashMap<>();
        for (String reason : REFUSALS) {
            refusals.put(reason, Counter.builder("readiness.sessions.refused").tag("reason", reason)
                    .description("Stored sessions not loaded, saves not sent and attributes not decoded because they"
                            + " were over a bound or not allowed").register(registry));
        }
        refused = Map.copyOf(refusals);
        Map<String, Counter> unconfirmedWrites = new HashMap<>();
        for (String reason : UNCONFIRMED) {
            unconfirmedWrites.put(reason, Counter.builder("readiness.sessions.redis.unconfirmed").tag("reason", reason)
                    .description("Writes applied on the master that fewer replicas than"
                            + " readiness.sessions.redis.wait-replicas confirmed").register(registry));
        }
        unconfirmed = Map.copyOf(unconfirmedWrites);
        this.registry = registry;
    }

    @Override
    public void loaded(long nanos, int bytes) {
        if (registry != null) {
            load.record(nanos, TimeUnit.NANOSECONDS);
            loadBytes.record(bytes);
        }
    }

    @Override
    public void saved(long nanos, int bytes) {
        if (registry != null) {
            save.record(nanos, TimeUnit.NANOSECONDS);
            saveBytes.record(bytes);
        }
    }

    @Override
    public void decodeFailed(String attribute, Throwable cause) {
        if (registry != null) {
            decodeFailures.increment();
        }
    }

    @Override
    public void failed(String operation, Throwable cause) {
        failed(operation, "connection", cause);
    }

    @Override
    public void failed(String operation, String kind, Throwable cause) {
        MeterRegistry r = registry;
        if (r != null) {
            r.counter("readiness.sessions.redis.errors", "op", operation, "kind", kind).increment();
        }
    }

    @Override
    public void refused(String reason) {
        Counter c = refused.get(reason);
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void unconfirmed(String reason) {
        Counter c = unconfirmed.get(reason);
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void nearCache(String event) {
        Counter c = nearCache.get(event);
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void changedInPlace(int attributes) {
        if (registry != null) {
            changedInPlace.increment(attributes);
        }
    }

    @Override
    public void servedFromContainer() {
        if (registry != null) {
            fallback.increment();
        }
    }

    @Override
    public void requestCompleted(int count) {
        if (registry != null) {
            commands.record(count);
        }
    }
}
