package dev.readiness.health.jolokia;

import org.jolokia.jvmagent.JolokiaServer;
import org.jolokia.jvmagent.JolokiaServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * A read-only Jolokia endpoint in this JVM: the access policy {@value #POLICY} allows read, list, search and
 * version and denies {@code com.sun.management} (diagnostic commands, heap dumps, VM options),
 * {@code jdk.management.jfr}, and the attributes of {@code java.lang:type=Runtime} that carry the command line and
 * the environment ({@code SystemProperties}, {@code InputArguments}, {@code ClassPath}, {@code BootClassPath},
 * {@code LibraryPath}); the JSR-160 proxy (which would let
 * a caller reach other JVMs' JMX through this one) is disabled, as is multicast discovery. Needs
 * {@code org.jolokia:jolokia-agent-jvm} on the class path. Close to stop it.
 */
public final class JolokiaEndpoint implements AutoCloseable {

    /** The access policy, on the class path. */
    public static final String POLICY = "classpath:/dev/readiness/health/jolokia/jolokia-access.xml";
    static final String JSR160_HANDLER = "org.jolokia.service.jsr160.Jsr160RequestHandler";

    private final JolokiaServer server;

    private JolokiaEndpoint(JolokiaServer server) {
        this.server = server;
    }

    /**
     * Starts the endpoint.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static JolokiaEndpoint start(JolokiaSettings settings) {
        Map<String, String> config = new HashMap<>();
        config.put("host", settings.host());
        config.put("port", Integer.toString(settings.port()));
        config.put("agentContext", "/jolokia");
        config.put("policyLocation", POLICY);
        config.put("disabledServices", JSR160_HANDLER);
        config.put("discoveryEnabled", "false");
        config.put("includeStackTrace", "false");
        config.put("allowErrorDetails", "false");
        settings.user().ifPresent(u -> config.put("user", u));
        settings.password().ifPresent(p -> config.put("password", p));
        try {
            JolokiaServer server = new JolokiaServer(new JolokiaServerConfig(config));
            server.start(false);
            return new JolokiaEndpoint(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Jolokia on " + settings.host() + ":" + settings.port(), e);
        }
    }

    /** The bound address (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The endpoint's URL, e.g. {@code http://127.0.0.1:8778/jolokia/}. */
    public String url() {
        return server.getUrl();
    }

    @Override
    public void close() {
        server.stop();
    }
}
