package dev.readiness.core.drain;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Handles SIGTERM and SIGINT so that the drain knows a signal started the shutdown (only then does it choose
 * the exit status) and so that a second signal during a drain is logged and ignored instead of queuing another
 * exit. Uses {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK); where it is missing or a
 * signal is reserved ({@code -Xrs}), the JVM's own handling stays and every shutdown counts as signalled.
 */
final class SignalWatcher {

    private static final Logger log = LoggerFactory.getLogger(SignalWatcher.class);

    private final AtomicReference<String> first = new AtomicReference<>();
    private final GracefulDrain drain;
    private volatile boolean installed;

    SignalWatcher(GracefulDrain drain) {
        this.drain = drain;
    }

    void install() {
        boolean any = false;
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), this::onSignal);
                any = true;
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                log.warn("cannot handle SIG{} ({}); the JVM's default handling stays", name, e.toString());
            }
        }
        installed = any;
    }

    /** The signal that started the shutdown, or {@code null}. */
    String signal() {
        return first.get();
    }

    /** Whether the shutdown counts as started by a signal: one was seen, or signals could not be watched. */
    boolean signalled() {
        return !installed || first.get() != null;
    }

    private void onSignal(sun.misc.Signal sig) {
        String name = "SIG" + sig.getName();
        if (first.compareAndSet(null, name)) {
            log.info("{} received: {}", name, drain.phase() == DrainPhase.SERVING ? "draining"
                    : "a drain is already running (phase " + drain.phase() + "); exiting once it ends");
            // What the JVM's own handler does: run the shutdown hooks, where the drain runs (or is joined).
            // This is the signal's own thread; it blocks until the process halts.
            Runtime.getRuntime().exit(128 + sig.getNumber());
        } else {
            log.info("{} received during the drain (phase {}): ignored, the drain goes on", name, drain.phase());
        }
    }
}
