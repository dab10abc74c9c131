package dev.readiness.core.warmup;

import java.time.Duration;
import java.util.List;

/**
 * What a warm-up did: how long it took, and each task's outcome in the order they ran.
 *
 * @param took  from the first task's start to the last one's end, or to the timeout
 * @param tasks each task's outcome
 */
public record WarmUpReport(Duration took, List<TaskOutcome> tasks) {

    public WarmUpReport {
        tasks = List.copyOf(tasks);
    }

    /** How one task ended. */
    public enum Result { OK, FAILED, TIMED_OUT, SKIPPED }

    /** One task's outcome; {@code error} is empty unless it failed. */
    public record TaskOutcome(String name, Result result, Duration took, String error) {
    }

    /** Tasks that ended with {@code result}. */
    public long count(Result result) {
        return tasks.stream().filter(t -> t.result() == result).count();
    }

    /** Whether the timeout cut the warm-up short. */
    public boolean timedOut() {
        return count(Result.TIMED_OUT) > 0;
    }
}
