package dev.readiness.samples.boot;

import dev.readiness.samples.e2e.AbstractDatabaseReadinessIT;
import dev.readiness.samples.e2e.SampleDescriptor;

/** The Spring Boot sample with a database that hangs ({@link AbstractDatabaseReadinessIT}). */
class DatabaseReadinessIT extends AbstractDatabaseReadinessIT {

    @Override
    protected SampleDescriptor sample() {
        return SpringBootServiceIT.SAMPLE;
    }
}
