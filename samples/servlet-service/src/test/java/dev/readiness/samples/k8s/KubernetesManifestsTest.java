package dev.readiness.samples.k8s;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Renders the Kubernetes manifests in {@code src/k8s} (base, each sample's overlay, with and without the
 * somaxconn component) with {@code kubectl kustomize} and checks them against the library's rules. People copy
 * these manifests verbatim.
 */
class KubernetesManifestsTest {

    static final Path K8S = Path.of(System.getProperty("sample.k8s.dir", "../../src/k8s")).toAbsolutePath().normalize();

    @Test
    void baseFollowsEveryRule() throws IOException {
        assertThat(ManifestRules.check(Kustomize.build(K8S.resolve("base")))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"spring-boot-service", "servlet-service", "grpc-service"})
    void eachSampleOverlayFollowsEveryRule(String sample) throws IOException {
        List<Map<String, Object>> rendered = Kustomize.build(K8S.resolve(sample));
        assertThat(ManifestRules.check(rendered)).isEmpty();
        Map<String, Object> deployment = only(rendered, "Deployment");
        assertThat(Yaml.map(deployment.get("metadata")).get("name")).isEqualTo(sample + "-service");
        assertThat(Yaml.stringMap(Yaml.at(deployment, "spec", "template", "metadata").get("labels")))
                .containsEntry("app.kubernetes.io/name", sample);
        Map<String, Object> container = Yaml.map(Yaml.list(Yaml.at(deployment, "spec", "template", "spec").get("containers")).get(0));
        // The image is named after the service (a service started from a sample drops the readiness/ prefix).
        assertThat(container.get("image")).asString().matches("([a-z0-9.-]+/)?" + sample + ":.+");
    }

    @ParameterizedTest
    @ValueSource(strings = {"spring-boot-service", "servlet-service", "grpc-service"})
    void somaxconnComponentAppliesToEachOverlayAndRaisesTheCap(String sample) throws IOException {
        // The opt-in the component's comments describe: the overlay's base becomes the component.
        Path overlay = Files.createTempDirectory("overlay");
        try (Stream<Path> files = Files.list(K8S.resolve(sample))) {
            for (Path f : files.toList()) {
                Files.writeString(overlay.resolve(f.getFileName()), Files.readString(f)
                        .replace("- ../base\n", "- " + relative(overlay, "components/somaxconn") + "\n"));
            }
        }
        assertThat(Files.readString(overlay.resolve("kustomization.yaml"))).contains("components/somaxconn");
        List<Map<String, Object>> rendered = Kustomize.build(overlay);
        assertThat(ManifestRules.check(rendered)).isEmpty();
        List<Object> sysctls = Yaml.list(Yaml.at(only(rendered, "Deployment"), "spec", "template", "spec", "securityContext").get("sysctls"));
        assertThat(sysctls).singleElement().satisfies(s -> {
            assertThat(Yaml.map(s)).containsEntry("name", "net.core.somaxconn");
            assertThat(Integer.parseInt(String.valueOf(Yaml.map(s).get("value")))).isGreaterThanOrEqualTo(ManifestRules.KERNEL_DEFAULT_SOMAXCONN);
        });
    }

    @Test
    void somaxconnComponentSaysWhatTheNodeMustAllow() throws IOException {
        String component = Files.readString(K8S.resolve("components/somaxconn/kustomization.yaml"));
        assertThat(component).contains("--allowed-unsafe-sysctls=net.core.somaxconn").contains("allowedUnsafeSysctls")
                .contains("privileged");
    }

    @Test
    void everyManifestOfTheBaseIsAResourceOfItsKustomization() throws IOException {
        List<Object> resources = Yaml.list(Yaml.load(K8S.resolve("base/kustomization.yaml")).get("resources"));
        try (Stream<Path> files = Files.list(K8S.resolve("base"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .filter(n -> !n.equals("kustomization.yaml"))).containsExactlyInAnyOrderElementsOf(
                    resources.stream().map(String::valueOf).toList());
        }
    }

    @Test
    void noManifestAnywhereMountsWithSubPath() throws IOException {
        try (Stream<Path> files = Files.walk(K8S)) {
            assertThat(files.filter(p -> p.toString().endsWith(".yaml"))).allSatisfy(p ->
                    assertThat(Files.readString(p).lines().filter(l -> !l.trim().startsWith("#")))
                            .as(p.toString()).noneMatch(l -> l.contains("subPath")));
        }
    }

    @Test
    void dockerfilesRunAsTheUserThePodDemands() throws IOException {
        Map<String, Object> pod = Yaml.at(only(Kustomize.build(K8S.resolve("base")), "Deployment"), "spec", "template", "spec");
        Object uid = Yaml.map(pod.get("securityContext")).get("runAsUser");
        for (String sample : List.of("spring-boot-service", "servlet-service", "grpc-service")) {
            String dockerfile = Files.readString(K8S.resolve("../../samples").resolve(sample).resolve("Dockerfile"));
            // runAsNonRoot can only be verified by the kubelet for a numeric USER.
            assertThat(dockerfile).as(sample).containsPattern("(?m)^USER " + uid + "(:\\d+)?$")
                    .contains(sample.equals("grpc-service") ? "EXPOSE 9090 8081" : "EXPOSE 8080 8081");
        }
    }

    @Test
    void theGrpcOverlayProbesTheGrpcHealthServiceNatively() throws IOException {
        Map<String, Object> container = container(Kustomize.build(K8S.resolve("grpc-service")));
        for (Map.Entry<String, String> p : ManifestRules.GRPC_PROBE_SERVICES.entrySet()) {
            assertThat(Yaml.at(container, p.getKey(), "grpc")).as(p.getKey())
                    .containsEntry("port", ManifestRules.GRPC_PORT).containsEntry("service", p.getValue());
            assertThat(Yaml.map(container.get(p.getKey()))).doesNotContainKey("httpGet");
        }
        assertThat(Yaml.list(container.get("env"))).map(Yaml::map).map(e -> e.get("name"))
                .contains("GRPC_PORT", "READINESS_GRPC_MAX_CONNECTION_AGE").doesNotContain("SERVER_PORT");
    }

    @Test
    void catchesAGrpcProbeThatAsksForTheWrongServiceOrPort() throws IOException {
        List<Map<String, Object>> rendered = Kustomize.build(K8S.resolve("grpc-service"));
        Map<String, Object> container = container(rendered);
        Yaml.at(container, "livenessProbe", "grpc").remove("service");
        Yaml.at(container, "readinessProbe", "grpc").put("port", 8081);
        Yaml.at(container, "startupProbe", "grpc").put("port", "grpc");
        assertThat(ManifestRules.check(rendered))
                .anyMatch(v -> v.startsWith("livenessProbe asks the gRPC health service for 'null', must be 'liveness'"))
                .anyMatch(v -> v.startsWith("readinessProbe grpc port is 8081, must be the container's gRPC port 9090"))
                .anyMatch(v -> v.startsWith("startupProbe grpc port is grpc: a grpc probe needs the port number"));
    }

    @Test
    void catchesAGrpcServiceThatSendsTrafficToTheManagementPort() throws IOException {
        List<Map<String, Object>> rendered = Kustomize.build(K8S.resolve("grpc-service"));
        Yaml.map(Yaml.list(Yaml.map(only(rendered, "Service").get("spec")).get("ports")).get(0)).put("targetPort", "management");
        assertThat(ManifestRules.check(rendered)).singleElement().asString()
                .contains("must be the application port 9090");
    }

    private static Map<String, Object> container(List<Map<String, Object>> rendered) {
        return Yaml.map(Yaml.list(Yaml.at(only(rendered, "Deployment"), "spec", "template", "spec").get("containers")).get(0));
    }

    // The rules themselves: each one catches the mistake it is there for.

    @Test
    void catchesALivenessProbeOnTheWrongPathOrPort() throws IOException {
        assertThat(violationsAfter(c -> {
            Map<String, Object> http = Yaml.at(c, "livenessProbe", "httpGet");
            http.put("path", "/readyz");
            http.put("port", "http");
        })).anyMatch(v -> v.contains("livenessProbe path is /readyz"))
                .anyMatch(v -> v.contains("livenessProbe port is http (8080)"));
    }

    @Test
    void catchesAMissingProbe() throws IOException {
        assertThat(violationsAfter(c -> c.remove("startupProbe"))).containsExactly("startupProbe is missing");
    }

    @Test
    void catchesAStartupProbeThatGivesUpTooSoon() throws IOException {
        assertThat(violationsAfter(c -> Yaml.map(c.get("startupProbe")).put("failureThreshold", 5)))
                .singleElement().asString().contains("startupProbe gives up after 10s");
    }

    @Test
    void catchesAGracePeriodShorterThanTheDrain() throws IOException {
        List<Map<String, Object>> base = Kustomize.build(K8S.resolve("base"));
        Yaml.at(only(base, "Deployment"), "spec", "template", "spec").put("terminationGracePeriodSeconds", 20);
        assertThat(ManifestRules.check(base))
                .anyMatch(v -> v.startsWith("terminationGracePeriodSeconds 20 does not cover the drain budget"))
                .anyMatch(v -> v.contains("READINESS_DRAIN_TERMINATION_GRACE_PERIOD is 35s but terminationGracePeriodSeconds is 20"));
    }

    @Test
    void catchesASubPathMount() throws IOException {
        assertThat(violationsAfter(c -> Yaml.map(Yaml.list(c.get("volumeMounts")).get(0)).put("subPath", "greeting")))
                .singleElement().asString().contains("uses subPath");
    }

    @Test
    void catchesAMemoryRequestBelowTheLimit() throws IOException {
        assertThat(violationsAfter(c -> Yaml.at(c, "resources", "requests").put("memory", "512Mi")))
                .singleElement().asString().startsWith("memory request (512Mi) must equal the memory limit (768Mi)");
    }

    @Test
    void catchesASpreadConstraintThatSelectsNoPod() throws IOException {
        // The pods renamed, the spread constraints' selectors forgotten: what kubectl 1.20's kustomize renders
        // from an overlay that sets commonLabels without patching the constraints (newer versions rewrite them).
        List<Map<String, Object>> base = Kustomize.build(K8S.resolve("base"));
        Map<String, Object> deployment = only(base, "Deployment");
        Yaml.mapAt(Yaml.at(deployment, "spec", "template"), "metadata").put("labels",
                Map.of("app.kubernetes.io/name", "orders"));
        Yaml.at(deployment, "spec", "selector").put("matchLabels", Map.of("app.kubernetes.io/name", "orders"));
        assertThat(ManifestRules.check(base))
                .anyMatch(v -> v.startsWith("the topology spread constraint on topology.kubernetes.io/zone selects"));
    }

    @Test
    void catchesASomaxconnThatLowersTheKernelDefault() throws IOException {
        List<Map<String, Object>> base = Kustomize.build(K8S.resolve("base"));
        Yaml.at(only(base, "Deployment"), "spec", "template", "spec", "securityContext")
                .put("sysctls", List.of(Map.of("name", "net.core.somaxconn", "value", "1024")));
        assertThat(ManifestRules.check(base)).singleElement().asString().contains("net.core.somaxconn=1024 is below");
    }

    @Test
    void aKustomizationKubectlRejectsFailsTheRenderingWithKubectlsMessage() throws IOException {
        Path overlay = Files.createTempDirectory("overlay");
        Files.writeString(overlay.resolve("kustomization.yaml"), "resources:\n  - missing.yaml\n");
        assertThatThrownBy(() -> Kustomize.build(overlay)).hasMessageContaining("kustomize " + overlay)
                .hasMessageContaining("missing.yaml");
    }

    /** kustomize takes a base only by a relative path. */
    private static Path relative(Path overlay, String k8sDir) {
        return overlay.relativize(K8S.resolve(k8sDir));
    }

    private static List<String> violationsAfter(Consumer<Map<String, Object>> change) throws IOException {
        List<Map<String, Object>> base = Kustomize.build(K8S.resolve("base"));
        change.accept(Yaml.map(Yaml.list(Yaml.at(only(base, "Deployment"), "spec", "template", "spec").get("containers")).get(0)));
        return ManifestRules.check(base);
    }

    private static Map<String, Object> only(List<Map<String, Object>> resources, String kind) {
        List<Map<String, Object>> found = resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }
}
