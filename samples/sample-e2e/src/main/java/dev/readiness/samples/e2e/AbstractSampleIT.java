package dev.readiness.samples.e2e;

import java.io.IOException;
import java.net.CookieManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every end-to-end test of a sample needs: the sample ({@link #sample()}, {@link #jar()}), starting it as a
 * real process, and waiting for it while it lives. Abstract, so neither JUnit nor Failsafe runs it on its own.
 */
public abstract class AbstractSampleIT {

    /** What differs in the sample under test; a constant of the sample's own test class. */
    protected abstract SampleDescriptor sample();

    /** The sample's jar; by default the {@code sample.jar} system property that the sample's Failsafe sets. */
    protected Path jar() {
        return SampleProcess.jar();
    }

    /** Starts the sample with {@code env} added to this JVM's environment, on free ports. */
    protected SampleProcess start(Map<String, String> env) throws IOException {
        return SampleProcess.start(jar(), env);
    }

    /** As {@link #start(Map)}, with a browser's cookie jar that other instances may share. */
    protected SampleProcess start(Map<String, String> env, CookieManager cookies) throws IOException {
        return SampleProcess.start(jar(), env, cookies);
    }

    protected void assertDrainLogged(String log) {
        assertThat(log).containsSubsequence(sample().drainLog());
    }

    protected void awaitServing(SampleProcess app) {
        awaitAlive(app, () -> app.statusOrMinusOne(app.port(), "/") == 200);
    }

    /** Waits for {@code condition} while the sample lives; fails with its log when it exits or takes too long. */
    protected void awaitAlive(SampleProcess app, Callable<Boolean> condition) {
        try {
            await().atMost(sample().startTimeout()).pollInterval(Duration.ofMillis(50))
                    .failFast("the sample exited", () -> !app.isAlive())
                    .until(condition);
        } catch (RuntimeException e) {
            throw new AssertionError(e.getMessage() + "; log:\n" + app.log(), e);
        }
    }
}
