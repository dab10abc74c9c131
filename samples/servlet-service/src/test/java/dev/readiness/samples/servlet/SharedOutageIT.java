package dev.readiness.samples.servlet;

import dev.readiness.samples.e2e.AbstractSharedOutageIT;
import dev.readiness.samples.e2e.SampleDescriptor;

/** The sample through a shared Redis outage ({@link AbstractSharedOutageIT}). */
class SharedOutageIT extends AbstractSharedOutageIT {

    @Override
    protected SampleDescriptor sample() {
        return ServletServiceIT.SAMPLE;
    }
}
