package dev.readiness.core.reload;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The end of one reload.
 *
 * @param result   how it ended
 * @param snapshot the snapshot in force afterwards (the new one on success, the last good one otherwise)
 * @param change   what changed, on {@link ReloadResult#SUCCESS}; otherwise {@code null}
 * @param reason   why it failed, naming the file or key and never a secret value; {@code null} unless failed
 * @param at       when it ended
 */
public record ReloadOutcome(ReloadResult result, ConfigSnapshot snapshot, ConfigChange change, String reason,
                            Instant at) {

    public ReloadOutcome {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(at, "at");
    }

    /** The failure reason, present only when {@link ReloadResult#failed()}. */
    public Optional<String> failure() {
        return Optional.ofNullable(reason);
    }
}
