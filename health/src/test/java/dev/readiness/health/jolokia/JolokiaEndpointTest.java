package dev.readiness.health.jolokia;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.ReadinessConfigException;
import io.smallrye.config.PropertiesConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JolokiaEndpointTest {

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    JolokiaEndpoint endpoint;

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    String get(String path, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint.url() + path)).timeout(Duration.ofSeconds(10));
        if (auth != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    String post(String json) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(endpoint.url())).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
        return res.statusCode() + " " + res.body();
    }

    @Test
    void bindsToLoopbackAndReadsPlatformMBeans() throws Exception {
        endpoint = JolokiaEndpoint.start(JolokiaSettings.loopback(0));
        assertThat(endpoint.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(get("read/java.lang:type=Memory/HeapMemoryUsage", null)).startsWith("200 ").contains("\"status\":200")
                .contains("\"used\"");
        assertThat(get("version", null)).contains("\"status\":200");
    }

    @Test
    void writeAndExecAreRefused() throws Exception {
        endpoint = JolokiaEndpoint.start(JolokiaSettings.loopback(0));
        assertThat(get("exec/java.lang:type=Memory/gc", null)).doesNotContain("\"status\":200").contains("403");
        assertThat(get("write/java.lang:type=Memory/Verbose/true", null)).doesNotContain("\"status\":200").contains("403");
        assertThat(post("{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}"))
                .doesNotContain("\"status\":200").contains("403");
    }

    @Test
    void comSunManagementAndFlightRecorderAreDenied() throws Exception {
        endpoint = JolokiaEndpoint.start(JolokiaSettings.loopback(0));
        assertThat(get("read/com.sun.management:type=HotSpotDiagnostic/DiagnosticOptions", null))
                .doesNotContain("\"status\":200").contains("403");
        assertThat(get("read/jdk.management.jfr:type=FlightRecorder/Recordings", null))
                .doesNotContain("\"status\":200").contains("403");
    }

    @Test
    void theJsr160ProxyIsDisabledSoARequestWithATargetNeverLeavesThisJvm() throws Exception {
        endpoint = JolokiaEndpoint.start(JolokiaSettings.loopback(0));
        try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            target.setSoTimeout(1000);
            String proxied = post("{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":"
                    + "\"HeapMemoryUsage\",\"target\":{\"url\":\"service:jmx:rmi:///jndi/rmi://127.0.0.1:"
                    + target.getLocalPort() + "/jmxrmi\"}}");
            // Without the proxy Jolokia answers from this JVM's own MBeans: the heap it reports is ours.
            long ourMaxHeap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
            assertThat(proxied).startsWith("200 ").contains("\"status\":200")
                    .containsPattern("\"max\":" + ourMaxHeap + "[,}]");
            // a proxy would have connected to the target's RMI registry while answering; nothing is waiting
            assertThatThrownBy(target::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void withAUserEveryRequestMustAuthenticate() throws Exception {
        endpoint = JolokiaEndpoint.start(new JolokiaSettings("127.0.0.1", 0, Optional.of("ops"), Optional.of("s3cret")));
        assertThat(get("version", null)).startsWith("401");
        assertThat(get("version", "ops:wrong")).startsWith("401");
        assertThat(get("version", "ops:s3cret")).startsWith("200");
    }

    @Test
    void bindingBeyondLoopbackWithoutAuthenticationIsRefused() {
        assertThatThrownBy(() -> new JolokiaSettings("0.0.0.0", 8778, Optional.empty(), Optional.empty()))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("readiness.jolokia.host=0.0.0.0 is invalid: must be loopback unless")
                .hasMessageContaining("a user and password are required");
        assertThatThrownBy(() -> JolokiaConfig.from(ReadinessConfig.of(new PropertiesConfigSource(Map.of(
                "readiness.jolokia.enabled", "true", "readiness.jolokia.host", "0.0.0.0"), "test", 100))))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("readiness.jolokia.host=0.0.0.0 is invalid");
        assertThat(new JolokiaSettings("0.0.0.0", 0, Optional.of("ops"), Optional.of("pw")).host()).isEqualTo("0.0.0.0");
    }

    @Test
    void configIsOffByDefaultAndValidated() {
        assertThat(JolokiaConfig.from(ReadinessConfig.of(new PropertiesConfigSource(Map.of(), "test", 100)))).isEmpty();
        assertThat(JolokiaConfig.from(ReadinessConfig.of(new PropertiesConfigSource(Map.of(
                "readiness.jolokia.enabled", "true"), "test", 100)))).hasValue(JolokiaSettings.loopback(8778));
        assertThatThrownBy(() -> JolokiaConfig.from(ReadinessConfig.of(new PropertiesConfigSource(Map.of(
                "readiness.jolokia.enabled", "true", "readiness.jolokia.port", "70000"), "test", 100))))
                .hasMessageContaining("readiness.jolokia.port=70000 is invalid: must be 0..65535");
        // the port is checked even while the endpoint is off: one rule per key, whatever else is set
        assertThatThrownBy(() -> JolokiaConfig.from(ReadinessConfig.of(new PropertiesConfigSource(Map.of(
                "readiness.jolokia.port", "-1"), "test", 100))))
                .hasMessageContaining("readiness.jolokia.port=-1 is invalid");
        assertThatThrownBy(() -> JolokiaConfig.from(ReadinessConfig.of(new PropertiesConfigSource(Map.of(
                "readiness.jolokia.enabled", "true", "readiness.jolokia.user", "ops"), "test", 100))))
                .hasMessageContaining("readiness.jolokia.user=ops is invalid: must be set together with readiness.jolokia.password");
    }
}
