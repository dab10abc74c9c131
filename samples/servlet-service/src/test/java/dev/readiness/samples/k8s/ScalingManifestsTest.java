package dev.readiness.samples.k8s;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scaling components of {@code src/k8s} (an HPA on readiness_saturation through prometheus-adapter, and the KEDA
 * alternative) applied to each sample's overlay the way their comments say, rendered with the real
 * {@code kubectl kustomize} and checked: the library's manifest rules still hold, the autoscaler targets the
 * overlay's Deployment, asks for the metric the adapter rule serves, and Prometheus is told where to scrape it.
 */
class ScalingManifestsTest {

    private static final Path K8S = KubernetesManifestsTest.K8S;

    private static List<Map<String, Object>> withComponent(String sample, String component) throws IOException {
        Path overlay = Files.createTempDirectory("overlay");
        try (Stream<Path> files = Files.list(K8S.resolve(sample))) {
            for (Path f : files.toList()) {
                Files.writeString(overlay.resolve(f.getFileName()), Files.readString(f)
                        .replace("- ../base\n", "- " + overlay.relativize(K8S.resolve("components/" + component)) + "\n"));
            }
        }
        assertThat(Files.readString(overlay.resolve("kustomization.yaml"))).contains("components/" + component);
        return Kustomize.build(overlay);
    }

    private static List<Map<String, Object>> all(List<Map<String, Object>> resources, String kind) {
        return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    private static Map<String, Object> only(List<Map<String, Object>> resources, String kind) {
        List<Map<String, Object>> found = all(resources, kind);
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    private static String name(Map<String, Object> resource) {
        return String.valueOf(Yaml.map(resource.get("metadata")).get("name"));
    }

    private static void scrapedOnTheManagementPort(Map<String, Object> deployment) {
        Map<String, String> annotations = Yaml.stringMap(Yaml.at(deployment, "spec", "template", "metadata")
                .get("annotations"));
        assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", Integer.toString(ManifestRules.MANAGEMENT_PORT))
                .containsEntry("prometheus.io/path", "/metrics");
    }

    @ParameterizedTest
    @ValueSource(strings = {"spring-boot-service", "servlet-service"})
    void hpaScalesTheOverlaysDeploymentOnSaturation(String sample) throws IOException {
        List<Map<String, Object>> rendered = withComponent(sample, "hpa-saturation");
        assertThat(ManifestRules.check(rendered)).isEmpty();
        Map<String, Object> deployment = only(rendered, "Deployment");
        Map<String, Object> hpa = only(rendered, "HorizontalPodAutoscaler");
        assertThat(Yaml.map(hpa.get("spec")).get("minReplicas")).isEqualTo(2);
        assertThat(Yaml.at(hpa, "spec", "scaleTargetRef")).containsEntry("kind", "Deployment")
                .containsEntry("name", name(deployment));
        List<Object> metrics = Yaml.list(Yaml.map(hpa.get("spec")).get("metrics"));
        assertThat(metrics).as("saturation is the only metric: a CPU target never triggers for I/O-bound load")
                .singleElement().satisfies(m -> {
                    assertThat(Yaml.map(m)).containsEntry("type", "Pods");
                    assertThat(Yaml.at(Yaml.map(m), "pods", "metric")).containsEntry("name", "readiness_saturation");
                    Map<String, Object> target = Yaml.at(Yaml.map(m), "pods", "target");
                    assertThat(target).containsEntry("type", "AverageValue");
                    assertThat(quantity(String.valueOf(target.get("averageValue"))))
                            .as("a per-pod target below 1: room left before every worker is busy")
                            .isGreaterThan(BigDecimal.ZERO).isLessThan(BigDecimal.ONE);
                });
        scrapedOnTheManagementPort(deployment);
    }

    @Test
    void prometheusAdapterRuleServesTheMetricTheHpaAsksForPerPod() throws IOException {
        Map<String, Object> values = Yaml.load(K8S.resolve("components/hpa-saturation/prometheus-adapter-values.yaml"));
        List<Object> custom = Yaml.list(Yaml.map(values.get("rules")).get("custom"));
        assertThat(custom).singleElement().satisfies(r -> {
            Map<String, Object> rule = Yaml.map(r);
            assertThat(String.valueOf(rule.get("seriesQuery"))).startsWith("readiness_saturation{");
            assertThat(Yaml.map(rule.get("name"))).containsEntry("as", "readiness_saturation");
            Map<String, Object> overrides = Yaml.at(rule, "resources", "overrides");
            assertThat(Yaml.map(overrides.get("pod"))).containsEntry("resource", "pod");
            assertThat(Yaml.map(overrides.get("namespace"))).containsEntry("resource", "namespace");
            assertThat(String.valueOf(rule.get("metricsQuery"))).contains("<<.Series>>", "<<.LabelMatchers>>",
                    "<<.GroupBy>>");
        });
        List<Object> resources = Yaml.list(Yaml.load(K8S.resolve("components/hpa-saturation/kustomization.yaml"))
                .get("resources"));
        assertThat(resources).as("the adapter's values are not applied with the service").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"spring-boot-service", "servlet-service"})
    void kedaReplacesTheHpaAndScalesTheOverlaysDeploymentOnSaturation(String sample) throws IOException {
        List<Map<String, Object>> rendered = withComponent(sample, "keda-saturation");
        assertThat(ManifestRules.check(rendered)).isEmpty();
        assertThat(all(rendered, "HorizontalPodAutoscaler")).as("KEDA owns the HPA; a second one would fight it")
                .isEmpty();
        Map<String, Object> deployment = only(rendered, "Deployment");
        Map<String, Object> scaled = only(rendered, "ScaledObject");
        assertThat(scaled.get("apiVersion")).isEqualTo("keda.sh/v1alpha1");
        Map<String, Object> spec = Yaml.map(scaled.get("spec"));
        assertThat(Yaml.map(spec.get("scaleTargetRef"))).containsEntry("name", name(deployment));
        assertThat(spec).containsEntry("minReplicaCount", 2).containsEntry("maxReplicaCount", 10);
        assertThat(Yaml.list(spec.get("triggers"))).singleElement().satisfies(t -> {
            Map<String, Object> trigger = Yaml.map(t);
            assertThat(trigger).containsEntry("type", "prometheus");
            Map<String, Object> meta = Yaml.map(trigger.get("metadata"));
            assertThat(String.valueOf(meta.get("query"))).startsWith("sum(").contains("readiness_saturation");
            assertThat(new BigDecimal(String.valueOf(meta.get("threshold"))))
                    .isGreaterThan(BigDecimal.ZERO).isLessThan(BigDecimal.ONE);
            assertThat(String.valueOf(meta.get("serverAddress"))).startsWith("http");
        });
        scrapedOnTheManagementPort(deployment);
    }

    @Test
    void catchesAScaledObjectBesideTheHpaOrOnAnotherDeploymentOrWithOneReplica() throws IOException {
        List<Map<String, Object>> rendered = withComponent("servlet-service", "keda-saturation");
        Map<String, Object> spec = Yaml.map(only(rendered, "ScaledObject").get("spec"));
        spec.put("minReplicaCount", 1);
        Yaml.map(spec.get("scaleTargetRef")).put("name", "other");
        List<Map<String, Object>> withHpa = new java.util.ArrayList<>(rendered);
        withHpa.add(only(withComponent("servlet-service", "hpa-saturation"), "HorizontalPodAutoscaler"));
        assertThat(ManifestRules.check(withHpa)).anyMatch(v -> v.contains("two autoscalers"))
                .anyMatch(v -> v.contains("minReplicaCount must be at least 2"))
                .anyMatch(v -> v.contains("the ScaledObject scales other"));
    }

    /** A Kubernetes quantity: {@code 700m}, {@code 0.7}, {@code 1}. */
    private static BigDecimal quantity(String q) {
        return q.endsWith("m") ? new BigDecimal(q.substring(0, q.length() - 1)).movePointLeft(3) : new BigDecimal(q);
    }
}
