package dev.readiness.war;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the webapp makes of the listener's MBean: Tomcat's connectors when it answers them; nothing, and no exception,
 * when it is missing, answers something else, or fails.
 */
class WarConnectorsTest {

    /** A stand-in for the listener's MBean (the standard MBean naming rule wants the interface public). */
    public interface ConnectorsMBean {
        Object[] connectors();
    }

    /** Answers what it was given, or throws it. */
    public static final class Connectors implements ConnectorsMBean {
        private final Object answer;

        Connectors(Object answer) {
            this.answer = answer;
        }

        @Override
        public Object[] connectors() {
            if (answer instanceof RuntimeException e) {
                throw e;
            }
            return (Object[]) answer;
        }
    }

    @AfterEach
    void unregister() throws Exception {
        ObjectName name = new ObjectName(WarDrain.CONNECTORS);
        if (ManagementFactory.getPlatformMBeanServer().isRegistered(name)) {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        }
    }

    private static void register(Object answer) throws Exception {
        ManagementFactory.getPlatformMBeanServer().registerMBean(new Connectors(answer),
                new ObjectName(WarDrain.CONNECTORS));
    }

    @Test
    void withoutTheListenersMBeanThereAreNoConnectors() {
        assertThat(WarConnectors.find()).isEmpty();
    }

    @Test
    void tomcatsConnectorsAreReadWithTheirBacklogAndPool() throws Exception {
        Connector connector = new Connector();
        connector.setProperty("acceptCount", "77");
        register(new Object[] {connector});
        WarConnectors found = WarConnectors.find().orElseThrow();
        assertThat(found.size()).isEqualTo(1);
        assertThat(found.requestedBacklog().getAsInt()).isEqualTo(77);
        // a connector that never started has no pool to read yet, and its check waits for it
        assertThat(found.saturation().orElseThrow().value()).isNaN();
        assertThat(found.listenerCheck(() -> false).check().message()).contains("not started yet");
        assertThat(found.listenerCheck(() -> false).check().isUp()).isTrue();
    }

    @Test
    void aServerWithoutConnectorsHasNoPoolAndAnUnknownBacklog() throws Exception {
        register(new Object[0]);
        WarConnectors found = WarConnectors.find().orElseThrow();
        assertThat(found.saturation()).isEmpty();
        assertThat(found.requestedBacklog().getAsInt()).isEqualTo(-1);
    }

    @Test
    void anythingButTomcatsConnectorsIsRefusedWithoutAnException() throws Exception {
        for (Object answer : new Object[] {new Object[] {"http-nio-8080"}, new Object[] {new Connector(), 42},
                new Object[] {null}, null, new IllegalStateException("broken MBean")}) {
            register(answer);
            assertThat(WarConnectors.find()).as(String.valueOf(answer)).isEmpty();
            unregister();
        }
    }
}
