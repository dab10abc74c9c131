package dev.readiness.samples.servlet;

import dev.readiness.samples.e2e.AbstractSampleServiceIT;
import dev.readiness.samples.e2e.SampleDescriptor;

import java.time.Duration;
import java.util.List;

/** The servlet sample as a real process, held to the samples' contract ({@link AbstractSampleServiceIT}). */
class ServletServiceIT extends AbstractSampleServiceIT {

    static final SampleDescriptor SAMPLE = new SampleDescriptor(
            "hello from servlet-service",
            // Generous: the build machine is shared and slow; a healthy start takes a few seconds.
            Duration.ofSeconds(60),
            List.of("drain phase 1/4 propagation", "drain phase 2/4 requests", "drain phase 3/4 resources",
                    "drain phase 4/4 stopped"),
            // The drain halts the JVM with readiness.drain.exit-code (0), so Kubernetes does not show an error.
            0);

    @Override
    protected SampleDescriptor sample() {
        return SAMPLE;
    }

    @Override
    protected String developmentMain() {
        return DevServletService.class.getName();
    }
}
