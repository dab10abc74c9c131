package dev.readiness.samples.boot;

import dev.readiness.samples.e2e.AbstractSharedOutageIT;
import dev.readiness.samples.e2e.SampleDescriptor;

/** The sample through a shared Redis outage ({@link AbstractSharedOutageIT}). */
class SharedOutageIT extends AbstractSharedOutageIT {

    @Override
    protected SampleDescriptor sample() {
        return SpringBootServiceIT.SAMPLE;
    }
}
