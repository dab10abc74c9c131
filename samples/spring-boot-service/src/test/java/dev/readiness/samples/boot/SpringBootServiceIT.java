package dev.readiness.samples.boot;

import dev.readiness.samples.e2e.AbstractSampleServiceIT;
import dev.readiness.samples.e2e.SampleDescriptor;

import java.time.Duration;
import java.util.List;

/** The Spring Boot sample as a real process, held to the samples' contract ({@link AbstractSampleServiceIT}). */
class SpringBootServiceIT extends AbstractSampleServiceIT {

    static final SampleDescriptor SAMPLE = new SampleDescriptor(
            "hello from spring-boot-service",
            // Generous: the build machine is shared and slow; a healthy Boot start takes 10 to 30 s there.
            Duration.ofSeconds(90),
            // The starter's drain runs first (readiness DOWN first), then Spring Boot's graceful shutdown.
            List.of("drain phase 1/4 propagation: readiness DOWN", "drain phase 4/4 stopped",
                    "Commencing graceful shutdown", "Graceful shutdown complete"),
            // The starter's drain ends a SIGTERM with readiness.drain.exit-code, 0 by default (not the JVM's 143).
            0);

    @Override
    protected SampleDescriptor sample() {
        return SAMPLE;
    }
}
