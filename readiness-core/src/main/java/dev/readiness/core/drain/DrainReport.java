package dev.readiness.core.drain;

import java.time.Duration;
import java.util.List;

/**
 * What a drain did.
 *
 * @param propagation     time readiness was DOWN while the service kept serving
 * @param requests        time from stopping accepting until in-flight requests finished or the timeout passed
 * @param resources       time spent closing registered resources
 * @param total           the whole drain
 * @param accepted        requests the tracker saw begin, since it was created
 * @param completed       requests the tracker saw end, since it was created
 * @param stillRunning    requests still running when the drain timeout passed (0 when all finished)
 * @param oldestRunning   age of the oldest of those, zero when none
 * @param failedResources names of resources whose close failed or timed out
 * @param failedServers   names of servers that failed to stop accepting or to stop: they may have taken new
 *                        connections after the drain began
 */
public record DrainReport(Duration propagation, Duration requests, Duration resources, Duration total,
                          long accepted, long completed, int stillRunning, Duration oldestRunning,
                          List<String> failedResources, List<String> failedServers) {

    public DrainReport {
        failedResources = List.copyOf(failedResources);
        failedServers = List.copyOf(failedServers);
    }

    /** Whether every server stopped, every request finished and every resource closed in time. */
    public boolean clean() {
        return stillRunning == 0 && failedResources.isEmpty() && failedServers.isEmpty();
    }
}
