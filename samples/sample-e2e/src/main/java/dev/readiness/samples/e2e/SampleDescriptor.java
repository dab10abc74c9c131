package dev.readiness.samples.e2e;

import java.time.Duration;
import java.util.List;

/**
 * What differs between the samples under the one contract the end-to-end tests check: everything else (endpoints,
 * probes, sessions, ConfigMap, drain behaviour) is the same for every sample. The sample's jar is not part of
 * it: each sample's Failsafe passes it as {@code sample.jar} (see {@link SampleProcess#jar()}).
 *
 * @param greeting         the exact body of {@code GET /}, e.g. {@code hello from servlet-service}
 * @param startTimeout     how long a start may take before the test fails (generous: the build machine is shared)
 * @param drainLog         what the log shows of a drain, in order; the first line appears when readiness went DOWN
 * @param exitAfterSigterm the exit status after a drain started by SIGTERM (0 to 255)
 */
public record SampleDescriptor(String greeting, Duration startTimeout, List<String> drainLog, int exitAfterSigterm) {

    /** Validates every setting, naming it and the bad value. */
    public SampleDescriptor {
        if (greeting == null || greeting.isBlank()) {
            throw new IllegalArgumentException("greeting must be the non-blank body of GET /, was '" + greeting + "'");
        }
        if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
        }
        if (drainLog == null || drainLog.isEmpty()
                || drainLog.stream().anyMatch(line -> line == null || line.isBlank())) {
            throw new IllegalArgumentException("drainLog must list at least one non-blank log line, was " + drainLog);
        }
        if (exitAfterSigterm < 0 || exitAfterSigterm > 255) {
            throw new IllegalArgumentException("exitAfterSigterm must be a process exit status (0 to 255), was "
                    + exitAfterSigterm);
        }
        drainLog = List.copyOf(drainLog);
    }
}
