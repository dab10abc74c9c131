package dev.readiness.health.jolokia;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read-only policy leaks nothing that carries the command line, system properties or environment: each such
 * attribute and operation is read through a real Jolokia HTTP request against the real agent on loopback, by name,
 * by reading every attribute, by pattern and in bulk.
 */
class JolokiaPolicyTest {

    /** Stands for a password passed as {@code -D}: present in this JVM, must never appear in an answer. */
    private static final String SECRET = "s3cret-" + UUID.randomUUID();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static JolokiaEndpoint endpoint;

    @BeforeAll
    static void start() {
        System.setProperty("readiness.test.db.password", SECRET);
        endpoint = JolokiaEndpoint.start(JolokiaSettings.loopback(0));
    }

    @AfterAll
    static void stop() {
        endpoint.close();
        System.clearProperty("readiness.test.db.password");
    }

    static String get(String path) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(endpoint.url() + path)).timeout(Duration.ofSeconds(10)).build();
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString()).body();
    }

    static String post(String json) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(endpoint.url())).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Strings that only a leak would put in an answer: the secret, and pieces of the real paths. */
    private static String[] leaks() {
        String classPath = System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0];
        return new String[] {SECRET, classPath, "java.library.path", "java.class.path"};
    }

    private static void assertDenied(String answer) {
        assertThat(answer).contains("\"status\":403").doesNotContain("\"status\":200").doesNotContain(leaks());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SystemProperties", "InputArguments", "ClassPath", "BootClassPath", "LibraryPath"})
    void eachRuntimeAttributeThatCarriesTheCommandLineOrEnvironmentIsDenied(String attribute) throws Exception {
        assertDenied(get("read/java.lang:type=Runtime/" + attribute));
        assertDenied(post("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"" + attribute
                + "\"}"));
    }

    @Test
    void anInnerPathOfASystemPropertyIsDenied() throws Exception {
        assertDenied(get("read/java.lang:type=Runtime/SystemProperties/readiness.test.db.password"));
    }

    @Test
    void readingEveryAttributeOfRuntimeIsRefusedWholeAndTheHarmlessOnesStayReadableByName() throws Exception {
        // Jolokia refuses a read of several attributes when one of them is denied, rather than leaving it out
        assertDenied(get("read/java.lang:type=Runtime"));
        assertThat(get("read/java.lang:type=Runtime/VmName")).contains("\"status\":200")
                .contains(System.getProperty("java.vm.name"));
        assertThat(get("read/java.lang:type=Runtime/Uptime,StartTime")).contains("\"status\":200");
    }

    @Test
    void aListOfAttributesAPatternOrABulkRequestLeaksNothing() throws Exception {
        String list = post("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":"
                + "[\"Uptime\",\"SystemProperties\",\"InputArguments\"]}");
        assertThat(list).doesNotContain(leaks());
        String pattern = post("{\"type\":\"read\",\"mbean\":\"java.lang:*\",\"attribute\":\"SystemProperties\"}");
        assertThat(pattern).doesNotContain(leaks());
        String everything = post("{\"type\":\"read\",\"mbean\":\"java.lang:type=R*\"}");
        assertThat(everything).doesNotContain(leaks());
        assertThat(post("{\"type\":\"read\",\"mbean\":\"java.lang:type=Mem*\"}")).as("a pattern read still works")
                .contains("HeapMemoryUsage").contains("\"status\":200");
        String bulk = post("[{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"HeapMemoryUsage\"},"
                + "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"SystemProperties\"}]");
        assertThat(bulk).doesNotContain(leaks()).contains("\"used\"").contains("\"status\":403");
    }

    @ParameterizedTest
    @ValueSource(strings = {"vmSystemProperties", "vmCommandLine", "vmFlags", "gcHeapDump", "vmInfo"})
    void diagnosticCommandsAreDenied(String operation) throws Exception {
        assertDenied(get("exec/com.sun.management:type=DiagnosticCommand/" + operation));
        assertDenied(post("{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                + "\"operation\":\"" + operation + "\",\"arguments\":[[]]}"));
        assertThat(get("read/com.sun.management:type=DiagnosticCommand")).doesNotContain(leaks());
    }

    @Test
    void hotSpotDiagnosticsAreDenied() throws Exception {
        assertDenied(post("{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\","
                + "\"operation\":\"dumpHeap\",\"arguments\":[\"/tmp/readiness-heap.hprof\",true]}"));
        assertThat(new java.io.File("/tmp/readiness-heap.hprof")).doesNotExist();
        assertDenied(post("{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\","
                + "\"operation\":\"getVMOption\",\"arguments\":[\"HeapDumpPath\"]}"));
        assertDenied(get("read/com.sun.management:type=HotSpotDiagnostic/DiagnosticOptions"));
    }

    @Test
    void theUsualReadsStillWork() throws Exception {
        assertThat(get("read/java.lang:type=Memory/HeapMemoryUsage")).contains("\"status\":200").contains("\"used\"");
        assertThat(get("read/java.lang:type=Runtime/Uptime")).contains("\"status\":200");
        assertThat(get("read/java.lang:type=Threading/ThreadCount")).contains("\"status\":200");
        assertThat(get("read/java.lang:type=OperatingSystem/AvailableProcessors")).contains("\"status\":200")
                .contains(Integer.toString(ManagementFactory.getOperatingSystemMXBean().getAvailableProcessors()));
        assertThat(get("search/java.lang:type=*")).contains("\"status\":200").contains("java.lang:type=Runtime");
    }
}
