package dev.readiness.health.management;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The same HTTP contract on the JDK's server, which serves when Jetty is not on the class path. */
class JdkManagementServerTest extends ManagementServerTest {

    @Override
    ManagementServer.Builder builder() {
        return super.builder().engine(Engine.Kind.JDK);
    }

    @Test
    void theJdkEngineIsTheOneServing() {
        try (ManagementServer s = builder().host("127.0.0.1").port(0).start()) {
            assertThat(s.engineName()).isEqualTo("jdk");
        }
    }
}
