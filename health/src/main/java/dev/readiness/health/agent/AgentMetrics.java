package dev.readiness.health.agent;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Locale;
import java.util.Objects;

/**
 * Meters of the HAProxy agent: {@code readiness.agent.answers{answer=up|down|drain|maint}} (counters),
 * {@code readiness.agent.requests{kind=none|line|invalid|unread}} (counters: how the optional request line arrived)
 * and {@code readiness.agent.weight} (gauge: the percent in the last answer, 0 for anything but {@code up}, NaN
 * before the first).
 */
public final class AgentMetrics implements MeterBinder {

    private final AgentServer agent;

    public AgentMetrics(AgentServer agent) {
        this.agent = Objects.requireNonNull(agent, "agent");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (AgentAnswer a : AgentAnswer.values()) {
            FunctionCounter.builder("readiness.agent.answers", agent, s -> s.answers(a))
                    .description("answers given to HAProxy's agent-check").tag("answer", a.word()).register(registry);
        }
        for (AgentServer.RequestKind k : AgentServer.RequestKind.values()) {
            FunctionCounter.builder("readiness.agent.requests", agent, s -> s.requests(k))
                    .description("agent-check connections, by how their optional request line arrived")
                    .tag("kind", k.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        Gauge.builder("readiness.agent.weight", agent, s -> s.lastWeight() < 0 ? Double.NaN : s.lastWeight())
                .description("weight in percent in the last agent answer (0 unless up)").register(registry);
    }
}
