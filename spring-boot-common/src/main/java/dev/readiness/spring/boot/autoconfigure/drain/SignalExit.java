package dev.readiness.spring.boot.autoconfigure.drain;

import dev.readiness.core.thread.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets Spring Boot's shutdown hook run the drain, and ends a drain that a signal started with the configured exit
 * status instead of the JVM's 143.
 * <p>
 * Why not {@code GracefulDrain.installShutdownHook()}: the JVM starts every shutdown hook at once, so the drain's
 * own hook would race Spring Boot's, which closes the context (and stops the web server) at the same moment.
 * Here Spring Boot's hook is the only one that closes anything: closing the context runs the drain as the first
 * lifecycle to stop, then Boot's graceful shutdown, the web server's stop and the beans' destruction (pools,
 * clients), then Boot's shutdown handlers. This class adds:
 * <ul>
 *   <li>a SIGTERM/SIGINT handler that remembers the first signal, exits the JVM as its default handler does
 *       (which starts the hooks), and logs and ignores a second signal during the drain;</li>
 *   <li>a Boot shutdown handler that records that every context has closed;</li>
 *   <li>a JVM shutdown hook that, after a signal, waits for Boot's hook to finish (bounded) and halts with the
 *       exit status. The JVM waits for every hook before it exits, so this hook decides the status.</li>
 * </ul>
 * Installed once per JVM; the latest context to arm it chooses the status.
 */
final class SignalExit {

    private static final Logger log = LoggerFactory.getLogger(SignalExit.class);

    private static final Object LOCK = new Object();
    private static final AtomicReference<String> SIGNAL = new AtomicReference<>();
    private static final CountDownLatch CONTEXTS_CLOSED = new CountDownLatch(1);
    private static boolean installed;
    private static volatile OptionalInt exitCode = OptionalInt.empty();
    private static volatile Duration maxWait = Duration.ofMinutes(1);
    private static volatile Thread bootHook;

    private SignalExit() {
    }

    /**
     * @param code      status after a signal-started shutdown; empty lets the JVM choose
     * @param drainTime the longest the drain can take; the exit hook waits at most this plus 30 s for Spring Boot
     */
    static void arm(OptionalInt code, Duration drainTime) {
        exitCode = code;
        maxWait = drainTime.plusSeconds(30);
        synchronized (LOCK) {
            if (installed) {
                return;
            }
            installed = true;
        }
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), SignalExit::onSignal);
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                log.warn("cannot handle SIG{} ({}); the JVM's default handling stays and the exit status is the"
                        + " JVM's", name, e.toString());
            }
        }
        try {
            SpringApplication.getShutdownHandlers().add(SignalExit::contextsClosed);
        } catch (IllegalStateException shuttingDown) {
            return;
        }
        DaemonThreads.onShutdown("readiness-drain-exit", SignalExit::exitAfterSpring);
    }

    private static void onSignal(sun.misc.Signal sig) {
        String name = "SIG" + sig.getName();
        if (SIGNAL.compareAndSet(null, name)) {
            log.info("{} received: closing the application context, which drains", name);
            // What the JVM's own handler does: run the shutdown hooks. Blocks this signal thread until the halt.
            Runtime.getRuntime().exit(128 + sig.getNumber());
        } else {
            log.info("{} received during the drain: ignored, the drain goes on", name);
        }
    }

    /** A Boot shutdown handler: every context is closed (and drained). Runs on Boot's hook thread. */
    private static void contextsClosed() {
        bootHook = Thread.currentThread();
        OptionalInt code = exitCode;
        String signal = SIGNAL.get();
        if (signal != null && code.isPresent()) {
            log.info("application context closed after {}; exiting with status {}", signal, code.getAsInt());
        }
        CONTEXTS_CLOSED.countDown();
    }

    private static void exitAfterSpring() {
        String signal = SIGNAL.get();
        OptionalInt code = exitCode;
        if (signal == null || code.isEmpty()) {
            return; // System.exit(n) keeps its n; exit-code=jvm keeps 143
        }
        try {
            if (!CONTEXTS_CLOSED.await(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("the application context did not finish closing within {} s of {}; exiting with status {}"
                        + " anyway", maxWait.toSeconds(), signal, code.getAsInt());
            } else {
                Thread boot = bootHook;
                if (boot != null) {
                    boot.join(10_000); // Boot's remaining shutdown handlers (logging) finish first
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code.getAsInt());
    }
}
