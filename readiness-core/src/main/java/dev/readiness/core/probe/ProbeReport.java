package dev.readiness.core.probe;

import dev.readiness.core.check.Status;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What a probe answers at one moment. Immutable; computed when a check result or the availability state changes,
 * never on a probe request. The JSON bodies are rendered once per report, so serving a probe writes bytes only.
 */
public final class ProbeReport {

    private final Probe probe;
    private final Status status;
    private final AvailabilityState state;
    private final boolean degraded;
    private final String reason;
    private final List<CheckSnapshot> checks;
    private final long validUntilNanos;
    private final byte[] json;
    private volatile byte[] verboseJson;

    ProbeReport(Probe probe, Status status, AvailabilityState state, boolean degraded, String reason,
                List<CheckSnapshot> checks, long validUntilNanos) {
        this.probe = probe;
        this.status = status;
        this.state = state;
        this.degraded = degraded;
        this.reason = reason;
        this.checks = List.copyOf(checks);
        this.validUntilNanos = validUntilNanos;
        this.json = render(false).getBytes(StandardCharsets.UTF_8);
    }

    public Probe probe() {
        return probe;
    }

    /** UP or DOWN; never UNKNOWN. */
    public Status status() {
        return status;
    }

    public boolean isUp() {
        return status == Status.UP;
    }

    /** The availability state when this report was made. */
    public AvailabilityState state() {
        return state;
    }

    /** Whether a check that is not required is DOWN (the probe can still be UP). */
    public boolean degraded() {
        return degraded;
    }

    /** Why the probe is DOWN or degraded; empty when it is plainly UP. */
    public String reason() {
        return reason;
    }

    /** Every check registered for this probe, in registration order. */
    public List<CheckSnapshot> checks() {
        return checks;
    }

    /** The HTTP status a probe endpoint answers: 200 or 503. */
    public int httpStatus() {
        return isUp() ? 200 : 503;
    }

    long validUntilNanos() {
        return validUntilNanos;
    }

    /** The small JSON body: status, state, and the reason when there is one. */
    public byte[] json() {
        return json.clone();
    }

    /** The JSON body with the per-check detail. Rendered on first use, then cached. */
    public byte[] verboseJson() {
        byte[] v = verboseJson;
        if (v == null) {
            v = render(true).getBytes(StandardCharsets.UTF_8);
            verboseJson = v;
        }
        return v.clone();
    }

    /** Writes the body without copying; for servers on a hot path. */
    public void writeTo(java.io.OutputStream out, boolean verbose) throws java.io.IOException {
        out.write(verbose ? verboseJsonNoCopy() : json);
    }

    /** Length of the body {@link #writeTo} writes. */
    public int length(boolean verbose) {
        return verbose ? verboseJsonNoCopy().length : json.length;
    }

    private byte[] verboseJsonNoCopy() {
        byte[] v = verboseJson;
        if (v == null) {
            v = render(true).getBytes(StandardCharsets.UTF_8);
            verboseJson = v;
        }
        return v;
    }

    private String render(boolean verbose) {
        StringBuilder b = new StringBuilder(verbose ? 256 : 64);
        b.append("{\"status\":\"").append(status).append('"');
        b.append(",\"state\":\"").append(state).append('"');
        if (degraded) {
            b.append(",\"degraded\":true");
        }
        if (!reason.isEmpty()) {
            b.append(",\"reason\":");
            Json.string(b, reason);
        }
        if (verbose) {
            b.append(",\"checks\":{");
            boolean first = true;
            for (CheckSnapshot c : checks) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                Json.string(b, c.name());
                b.append(":{\"status\":\"").append(c.status()).append('"');
                b.append(",\"required\":").append(c.required());
                if (!c.message().isEmpty()) {
                    b.append(",\"message\":");
                    Json.string(b, c.message());
                }
                b.append(",\"durationMs\":").append(c.lastDuration().toMillis());
                if (c.lastCompleted() != null) {
                    b.append(",\"lastCompleted\":\"").append(c.lastCompleted()).append('"');
                }
                if (c.timedOut()) {
                    b.append(",\"timedOut\":true");
                }
                if (!c.details().isEmpty()) {
                    b.append(",\"details\":{");
                    boolean f = true;
                    for (Map.Entry<String, Object> e : c.details().entrySet()) {
                        if (!f) {
                            b.append(',');
                        }
                        f = false;
                        Json.string(b, e.getKey());
                        b.append(':');
                        Json.value(b, e.getValue());
                    }
                    b.append('}');
                }
                b.append('}');
            }
            b.append('}');
        }
        return b.append('}').toString();
    }

    @Override
    public String toString() {
        return probe.tag() + "=" + status + (reason.isEmpty() ? "" : " (" + reason + ")");
    }
}
