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
            List.of("readiness DOWN; serving for", "Commencing graceful shutdown", "Graceful shutdown complete"),
            // Spring Boot exits as the JVM does after SIGTERM.
            143);

    @Override
    protected SampleDescriptor sample() {
        return SAMPLE;
    }
}
