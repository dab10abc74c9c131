package dev.readiness.samples.boot;

import dev.readiness.samples.e2e.AbstractDatabaseReadinessIT;
import dev.readiness.samples.e2e.SampleDescriptor;

/**
 * The Spring Boot sample with a database that hangs ({@link AbstractDatabaseReadinessIT}). Its database is Boot's
 * {@code dataSource}, which the starter checks as {@code db}.
 */
class DatabaseReadinessIT extends AbstractDatabaseReadinessIT {

    @Override
    protected SampleDescriptor sample() {
        return SpringBootServiceIT.SAMPLE;
    }

    @Override
    protected java.util.Map<String, String> databaseRequired() {
        return java.util.Map.of("READINESS_DEPENDENCIES_REQUIRED", "db");
    }

    @Override
    protected String databaseCheckName() {
        return "db";
    }
}
