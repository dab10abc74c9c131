package dev.readiness.health.jolokia;

import dev.readiness.core.config.ReadinessConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/**
 * How the Jolokia endpoint is exposed. Immutable; validated when built: authentication is required whenever the
 * endpoint binds to anything but loopback.
 *
 * @param host     address to bind, default {@code 127.0.0.1}
 * @param port     port, default 8778; 0 picks a free one
 * @param user     basic-auth user, required (with a password) unless bound to loopback
 * @param password basic-auth password
 */
public record JolokiaSettings(String host, int port, Optional<String> user, Optional<String> password) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8778;

    /**
     * The one home of these rules (with {@link JolokiaOptions}' keys).
     *
     * @throws ReadinessConfigException naming the key, the value and what is allowed
     */
    public JolokiaSettings {
        JolokiaOptions.HOST.check(host);
        JolokiaOptions.PORT.check(port);
        user = user.filter(u -> !u.isBlank());
        password = password.filter(p -> !p.isEmpty());
        if (user.isPresent() != password.isPresent()) {
            throw new ReadinessConfigException(JolokiaOptions.USER.name(), user.orElse("(unset)"),
                    "must be set together with readiness.jolokia.password");
        }
        if (!isLoopback(host) && user.isEmpty()) {
            throw new ReadinessConfigException(JolokiaOptions.HOST.name(), host, "must be loopback unless"
                    + " readiness.jolokia.user and password are set: a user and password are required to expose"
                    + " Jolokia beyond this machine");
        }
    }

    /** Loopback, no authentication. */
    public static JolokiaSettings loopback(int port) {
        return new JolokiaSettings(DEFAULT_HOST, port, Optional.empty(), Optional.empty());
    }

    static boolean isLoopback(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            throw new ReadinessConfigException(JolokiaOptions.HOST.name(), host,
                    "must be a host name or IP address that resolves", e);
        }
    }
}
