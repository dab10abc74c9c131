package dev.readiness.spring.boot.autoconfigure.jolokia;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code readiness.jolokia.*}: the read-only Jolokia endpoint. Every field left unset takes readiness-health's
 * default ({@code JolokiaSettings}); the rules are readiness-health's too.
 */
@ConfigurationProperties("readiness.jolokia")
public class JolokiaProperties {

    /** Start the read-only Jolokia endpoint (needs org.jolokia:jolokia-agent-jvm). Default false. */
    private Boolean enabled;

    /** Address to bind. Default 127.0.0.1; anything but loopback requires user and password. */
    private String host;

    /** Port; 0 picks a free one. Default 8778. */
    private Integer port;

    /** Basic-auth user, set together with the password; required when the host is not loopback. */
    private String user;

    /** Basic-auth password. */
    private String password;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }
}
