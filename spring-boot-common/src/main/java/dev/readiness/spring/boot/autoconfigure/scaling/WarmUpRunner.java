package dev.readiness.spring.boot.autoconfigure.scaling;

import dev.readiness.core.warmup.HttpWarmUp;
import dev.readiness.core.warmup.WarmUp;
import dev.readiness.core.warmup.WarmUpReport;
import dev.readiness.core.warmup.WarmUpSettings;
import dev.readiness.core.warmup.WarmUpTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;

import java.util.Map;

/**
 * Runs the warm-up when the application has started (the web server serves) and before its application-ready
 * event, which is when readiness turns UP: every {@link WarmUpTask} bean by name, then the built-in requests to
 * {@code readiness.warmup.paths} on the application's own port.
 */
final class WarmUpRunner implements ApplicationListener<ApplicationStartedEvent> {

    private static final Logger log = LoggerFactory.getLogger(WarmUpRunner.class);

    private final WarmUpSettings settings;
    private final ApplicationContext context;
    private final ServerSaturation server;
    private volatile WarmUp warmUp;

    WarmUpRunner(WarmUpSettings settings, ApplicationContext context, ServerSaturation server) {
        this.settings = settings;
        this.context = context;
        this.server = server;
        this.warmUp = WarmUp.builder(settings).build();
    }

    @Override
    public void onApplicationEvent(ApplicationStartedEvent event) {
        if (event.getApplicationContext() != context) {
            return;
        }
        WarmUp.Builder b = WarmUp.builder(settings);
        Map<String, WarmUpTask> tasks = context.getBeansOfType(WarmUpTask.class);
        tasks.forEach(b::task);
        if (!settings.paths().isEmpty()) {
            if (server.port() > 0) {
                b.task("readiness-http-warmup", HttpWarmUp.of(settings, server.port()));
            } else {
                log.warn("readiness.warmup.paths is set but no web server port is known; the built-in warm-up"
                        + " requests are not sent");
            }
        }
        WarmUp w = b.build();
        warmUp = w;
        WarmUpReport report = w.run();
        if (report.timedOut()) {
            log.warn("warm-up cut short by readiness.warmup.timeout={}; readiness turns UP now", settings.timeout());
        }
    }

    /** The warm-up built at start (before it, one without tasks). */
    WarmUp warmUp() {
        return warmUp;
    }
}
