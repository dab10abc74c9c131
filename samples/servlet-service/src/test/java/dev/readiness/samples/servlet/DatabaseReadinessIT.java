package dev.readiness.samples.servlet;

import dev.readiness.samples.e2e.AbstractDatabaseReadinessIT;
import dev.readiness.samples.e2e.SampleDescriptor;

/** The servlet sample with a database that hangs ({@link AbstractDatabaseReadinessIT}). */
class DatabaseReadinessIT extends AbstractDatabaseReadinessIT {

    @Override
    protected SampleDescriptor sample() {
        return ServletServiceIT.SAMPLE;
    }

    @Override
    protected java.util.Map<String, String> databaseRequired() {
        return java.util.Map.of("DATABASE_REQUIRED", "true");
    }
}
