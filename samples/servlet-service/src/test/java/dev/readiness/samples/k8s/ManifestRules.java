package dev.readiness.samples.k8s;

import dev.readiness.core.config.DurationConverter;
import dev.readiness.core.drain.DrainSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The library's rules for a rendered set of manifests; {@link #check} returns every violation, each naming
 * the resource, the field and the value, so one run shows all that is wrong.
 */
final class ManifestRules {

    /** The management port of the contract: probes and metrics, never the application port. */
    static final int MANAGEMENT_PORT = 8081;
    static final int APPLICATION_PORT = 8080;
    /** The gRPC sample's application port ({@code GRPC_PORT}), where the kubelet's native grpc: probes go. */
    static final int GRPC_PORT = 9090;
    /** The service name each native grpc: probe asks {@code grpc.health.v1.Health} for. */
    static final Map<String, String> GRPC_PROBE_SERVICES = Map.of("livenessProbe", "liveness",
            "readinessProbe", "readiness", "startupProbe", "startup");
    /** A JVM service on a busy node can take this long to start; the startup probe must wait at least as long. */
    static final Duration MIN_STARTUP_ALLOWANCE = Duration.ofSeconds(60);
    /** Liveness must survive a long GC pause or a burst of CPU throttling. */
    static final Duration MIN_LIVENESS_TOLERANCE = Duration.ofSeconds(20);
    /** The kernel's default net.core.somaxconn for a new network namespace since Linux 5.4. */
    static final int KERNEL_DEFAULT_SOMAXCONN = 4096;

    private final List<String> violations = new ArrayList<>();
    private int applicationPort = APPLICATION_PORT;

    static List<String> check(List<Map<String, Object>> resources) {
        ManifestRules rules = new ManifestRules();
        rules.run(resources);
        return rules.violations;
    }

    private void run(List<Map<String, Object>> resources) {
        List<Map<String, Object>> deployments = ofKind(resources, "Deployment");
        if (deployments.size() != 1) {
            violations.add("expected one Deployment, found " + deployments.size());
            return;
        }
        Map<String, Object> deployment = deployments.get(0);
        Map<String, Object> pod = Yaml.at(deployment, "spec", "template", "spec");
        Map<String, String> podLabels = Yaml.stringMap(Yaml.at(deployment, "spec", "template", "metadata").get("labels"));
        List<Object> containers = Yaml.list(pod.get("containers"));
        if (containers.size() != 1) {
            violations.add("expected one container, found " + containers.size());
            return;
        }
        Map<String, Object> container = Yaml.map(containers.get(0));
        Map<String, String> env = env(container);

        applicationPort = env.containsKey("GRPC_PORT") ? GRPC_PORT : APPLICATION_PORT;
        probes(container, env);
        drain(pod, env);
        resources(container);
        configMap(resources, pod, container, env);
        noSubPath(pod);
        selectors(resources, deployment, podLabels);
        spread(pod, podLabels);
        sysctls(pod);
    }

    private void probes(Map<String, Object> container, Map<String, String> env) {
        String managementPort = env.get("READINESS_MANAGEMENT_PORT");
        if (managementPort != null && !managementPort.equals(Integer.toString(MANAGEMENT_PORT))) {
            violations.add("READINESS_MANAGEMENT_PORT is " + managementPort + ", the contract's management port is "
                    + MANAGEMENT_PORT);
        }
        probe(container, "livenessProbe", "/livez").ifPresent(p -> {
            Duration tolerance = Duration.ofSeconds((long) seconds(p, "periodSeconds", 10) * seconds(p, "failureThreshold", 3));
            if (tolerance.compareTo(MIN_LIVENESS_TOLERANCE) < 0) {
                violations.add("livenessProbe restarts after " + tolerance.toSeconds() + "s of failures (periodSeconds x"
                        + " failureThreshold); allow at least " + MIN_LIVENESS_TOLERANCE.toSeconds() + "s so a GC pause is not fatal");
            }
        });
        probe(container, "readinessProbe", "/readyz");
        probe(container, "startupProbe", "/startupz").ifPresent(p -> {
            Duration allowance = Duration.ofSeconds((long) seconds(p, "periodSeconds", 10) * seconds(p, "failureThreshold", 3));
            if (allowance.compareTo(MIN_STARTUP_ALLOWANCE) < 0) {
                violations.add("startupProbe gives up after " + allowance.toSeconds() + "s (periodSeconds x"
                        + " failureThreshold); allow at least " + MIN_STARTUP_ALLOWANCE.toSeconds() + "s for a slow start");
            }
        });
    }

    private Optional<Map<String, Object>> probe(Map<String, Object> container, String name, String path) {
        if (!(container.get(name) instanceof Map<?, ?> raw)) {
            violations.add(name + " is missing");
            return Optional.empty();
        }
        Map<String, Object> probe = Yaml.map(raw);
        if (probe.get("grpc") instanceof Map<?, ?> grpc) {
            grpcProbe(container, name, Yaml.map(grpc));
            return Optional.of(probe);
        }
        if (!(probe.get("httpGet") instanceof Map<?, ?> get)) {
            violations.add(name + " must be an httpGet probe on " + path + " or a grpc probe");
            return Optional.of(probe);
        }
        Map<String, Object> http = Yaml.map(get);
        if (!path.equals(http.get("path"))) {
            violations.add(name + " path is " + http.get("path") + ", must be " + path);
        }
        Integer port = resolvePort(container, http.get("port"));
        if (port == null || port != MANAGEMENT_PORT) {
            violations.add(name + " port is " + http.get("port") + " (" + port + "), must be the management port "
                    + MANAGEMENT_PORT);
        }
        return Optional.of(probe);
    }

    /**
     * A native gRPC probe asks the application's gRPC port (a number: grpc: probes take no port name) for the
     * service named after the probe; without a service it would ask for "", which is readiness, also for liveness.
     */
    private void grpcProbe(Map<String, Object> container, String name, Map<String, Object> grpc) {
        String service = GRPC_PROBE_SERVICES.get(name);
        if (!service.equals(grpc.get("service"))) {
            violations.add(name + " asks the gRPC health service for '" + grpc.get("service") + "', must be '" + service + "'");
        }
        if (!(grpc.get("port") instanceof Integer port)) {
            violations.add(name + " grpc port is " + grpc.get("port") + ": a grpc probe needs the port number");
            return;
        }
        boolean exposed = Yaml.list(container.get("ports")).stream().map(Yaml::map)
                .anyMatch(p -> port.equals(p.get("containerPort")));
        if (port != GRPC_PORT || !exposed) {
            violations.add(name + " grpc port is " + port + ", must be the container's gRPC port " + GRPC_PORT);
        }
    }

    private static Integer resolvePort(Map<String, Object> container, Object port) {
        if (port instanceof Integer n) {
            return n;
        }
        for (Object p : Yaml.list(container.get("ports"))) {
            Map<String, Object> named = Yaml.map(p);
            if (Objects.equals(named.get("name"), port)) {
                return (Integer) named.get("containerPort");
            }
        }
        return null;
    }

    private void drain(Map<String, Object> pod, Map<String, String> env) {
        if (!(pod.get("terminationGracePeriodSeconds") instanceof Integer grace)) {
            violations.add("terminationGracePeriodSeconds is missing: the default 30s must be chosen, not inherited");
            return;
        }
        // The library's own rule (what GracefulDrain warns about at start), applied to the pod's settings.
        DrainSettings drain = DrainSettings.builder()
                .propagationDelay(duration(env, "READINESS_DRAIN_PROPAGATION_DELAY", DrainSettings.DEFAULT_PROPAGATION_DELAY))
                .timeout(duration(env, "READINESS_DRAIN_TIMEOUT", DrainSettings.DEFAULT_TIMEOUT))
                .resourceCloseTimeout(duration(env, "READINESS_DRAIN_RESOURCE_CLOSE_TIMEOUT", DrainSettings.DEFAULT_RESOURCE_CLOSE_TIMEOUT))
                .terminationGracePeriod(Duration.ofSeconds(grace))
                .build();
        drain.gracePeriodProblem().ifPresent(problem -> violations.add("terminationGracePeriodSeconds " + grace
                + " does not cover the drain budget: " + problem));
        String declared = env.get("READINESS_DRAIN_TERMINATION_GRACE_PERIOD");
        if (declared == null) {
            violations.add("READINESS_DRAIN_TERMINATION_GRACE_PERIOD is not set: the library cannot check the drain"
                    + " against terminationGracePeriodSeconds " + grace);
        } else if (!DurationConverter.parse(declared).equals(Duration.ofSeconds(grace))) {
            violations.add("READINESS_DRAIN_TERMINATION_GRACE_PERIOD is " + declared + " but terminationGracePeriodSeconds is "
                    + grace);
        }
    }

    private void resources(Map<String, Object> container) {
        if (!(container.get("resources") instanceof Map<?, ?> raw)) {
            violations.add("container resources are missing");
            return;
        }
        Map<String, Object> r = Yaml.map(raw);
        Map<String, String> requests = Yaml.stringMap(r.get("requests"));
        Map<String, String> limits = Yaml.stringMap(r.get("limits"));
        if (limits.get("memory") == null || !limits.get("memory").equals(requests.get("memory"))) {
            violations.add("memory request (" + requests.get("memory") + ") must equal the memory limit ("
                    + limits.get("memory") + "): the heap is sized from the limit");
        }
        if (requests.get("cpu") == null) {
            violations.add("cpu request is missing");
        }
    }

    private void configMap(List<Map<String, Object>> resources, Map<String, Object> pod, Map<String, Object> container,
                           Map<String, String> env) {
        String dir = env.get("READINESS_CONFIG_DIR");
        if (dir == null) {
            violations.add("READINESS_CONFIG_DIR is not set");
            return;
        }
        Map<String, Object> mount = null;
        for (Object m : Yaml.list(container.get("volumeMounts"))) {
            if (dir.equals(Yaml.map(m).get("mountPath"))) {
                mount = Yaml.map(m);
            }
        }
        if (mount == null) {
            violations.add("nothing is mounted at READINESS_CONFIG_DIR " + dir);
            return;
        }
        String volumeName = (String) mount.get("name");
        Map<String, Object> volume = Yaml.list(pod.get("volumes")).stream().map(Yaml::map)
                .filter(v -> volumeName.equals(v.get("name"))).findFirst().orElse(null);
        if (volume == null || !(volume.get("configMap") instanceof Map<?, ?> cm)) {
            violations.add("the volume mounted at " + dir + " is not a configMap volume");
            return;
        }
        Object cmName = cm.get("name");
        boolean defined = ofKind(resources, "ConfigMap").stream()
                .anyMatch(c -> Objects.equals(Yaml.map(c.get("metadata")).get("name"), cmName));
        if (!defined) {
            violations.add("the configMap volume names " + cmName + ", which no ConfigMap of these manifests defines");
        }
    }

    private void noSubPath(Map<String, Object> pod) {
        for (String list : List.of("containers", "initContainers")) {
            for (Object c : Yaml.list(pod.get(list))) {
                for (Object m : Yaml.list(Yaml.map(c).get("volumeMounts"))) {
                    Map<String, Object> mount = Yaml.map(m);
                    if (mount.containsKey("subPath") || mount.containsKey("subPathExpr")) {
                        violations.add("volumeMount " + mount.get("name") + " at " + mount.get("mountPath")
                                + " uses subPath: a subPath mount never receives ConfigMap updates");
                    }
                }
            }
        }
    }

    private void selectors(List<Map<String, Object>> resources, Map<String, Object> deployment, Map<String, String> podLabels) {
        String deploymentName = (String) Yaml.map(deployment.get("metadata")).get("name");
        if (!podLabels.entrySet().containsAll(Yaml.stringMap(Yaml.at(deployment, "spec", "selector").get("matchLabels")).entrySet())) {
            violations.add("the Deployment's selector does not match its pod labels " + podLabels);
        }
        for (Map<String, Object> service : ofKind(resources, "Service")) {
            Map<String, Object> spec = Yaml.map(service.get("spec"));
            selects("Service", Yaml.stringMap(spec.get("selector")), podLabels);
            for (Object p : Yaml.list(spec.get("ports"))) {
                Object target = Yaml.map(p).get("targetPort");
                Integer port = resolvePort(Yaml.map(Yaml.list(Yaml.at(deployment, "spec", "template", "spec").get("containers")).get(0)), target);
                if (port == null || port != applicationPort) {
                    violations.add("the Service sends traffic to port " + target + " (" + port + "), must be the application port "
                            + applicationPort);
                }
            }
        }
        List<Map<String, Object>> pdbs = ofKind(resources, "PodDisruptionBudget");
        if (pdbs.isEmpty()) {
            violations.add("no PodDisruptionBudget");
        }
        pdbs.forEach(pdb -> selects("PodDisruptionBudget",
                Yaml.stringMap(Yaml.at(pdb, "spec", "selector").get("matchLabels")), podLabels));
        List<Map<String, Object>> hpas = ofKind(resources, "HorizontalPodAutoscaler");
        // A KEDA ScaledObject creates and owns the HPA itself: the same rules, on its own field names.
        List<Map<String, Object>> scaledObjects = ofKind(resources, "ScaledObject");
        if (hpas.isEmpty() && scaledObjects.isEmpty()) {
            violations.add("no HorizontalPodAutoscaler (or KEDA ScaledObject)");
        }
        if (!hpas.isEmpty() && !scaledObjects.isEmpty()) {
            violations.add("both a HorizontalPodAutoscaler and a KEDA ScaledObject: two autoscalers fight over one Deployment");
        }
        for (Map<String, Object> so : scaledObjects) {
            Object name = Yaml.at(so, "spec", "scaleTargetRef").get("name");
            if (!deploymentName.equals(name)) {
                violations.add("the ScaledObject scales " + name + ", not Deployment/" + deploymentName);
            }
            if (!(Yaml.map(so.get("spec")).get("minReplicaCount") instanceof Integer min) || min < 2) {
                violations.add("the ScaledObject's minReplicaCount must be at least 2, so a drain never leaves no pod");
            }
        }
        for (Map<String, Object> hpa : hpas) {
            Map<String, Object> target = Yaml.at(hpa, "spec", "scaleTargetRef");
            if (!"Deployment".equals(target.get("kind")) || !deploymentName.equals(target.get("name"))) {
                violations.add("the HorizontalPodAutoscaler scales " + target.get("kind") + "/" + target.get("name")
                        + ", not Deployment/" + deploymentName);
            }
            if (!(Yaml.map(hpa.get("spec")).get("minReplicas") instanceof Integer min) || min < 2) {
                violations.add("the HorizontalPodAutoscaler's minReplicas must be at least 2, so a drain never leaves no pod");
            }
        }
    }

    private void selects(String what, Map<String, String> selector, Map<String, String> podLabels) {
        if (selector.isEmpty() || !podLabels.entrySet().containsAll(selector.entrySet())) {
            violations.add("the " + what + " selector " + selector + " does not select the pods " + podLabels);
        }
    }

    private void spread(Map<String, Object> pod, Map<String, String> podLabels) {
        boolean zones = false;
        for (Object c : Yaml.list(pod.get("topologySpreadConstraints"))) {
            Map<String, Object> constraint = Yaml.map(c);
            zones |= "topology.kubernetes.io/zone".equals(constraint.get("topologyKey"));
            Map<String, String> selector = Yaml.stringMap(Yaml.map(constraint.get("labelSelector")).get("matchLabels"));
            if (selector.isEmpty() || !podLabels.entrySet().containsAll(selector.entrySet())) {
                violations.add("the topology spread constraint on " + constraint.get("topologyKey") + " selects " + selector
                        + ", which does not match the pods " + podLabels + ": it would spread nothing");
            }
        }
        if (!zones) {
            violations.add("no topology spread constraint across zones (topology.kubernetes.io/zone)");
        }
    }

    private void sysctls(Map<String, Object> pod) {
        if (!(pod.get("securityContext") instanceof Map<?, ?> sc)) {
            return;
        }
        for (Object s : Yaml.list(sc.get("sysctls"))) {
            Map<String, Object> sysctl = Yaml.map(s);
            if ("net.core.somaxconn".equals(sysctl.get("name"))) {
                int value = Integer.parseInt(String.valueOf(sysctl.get("value")));
                if (value < KERNEL_DEFAULT_SOMAXCONN) {
                    violations.add("net.core.somaxconn=" + value + " is below the kernel's default of "
                            + KERNEL_DEFAULT_SOMAXCONN + " (Linux 5.4 and later): it would lower the accept-queue cap");
                }
            }
        }
    }

    private static int seconds(Map<String, Object> probe, String field, int kubernetesDefault) {
        return probe.get(field) instanceof Integer n ? n : kubernetesDefault;
    }

    private Duration duration(Map<String, String> env, String name, Duration fallback) {
        String v = env.get(name);
        return v == null ? fallback : DurationConverter.parse(v);
    }

    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Object e : Yaml.list(container.get("env"))) {
            Map<String, Object> var = Yaml.map(e);
            if (var.get("value") != null) {
                env.put((String) var.get("name"), String.valueOf(var.get("value")));
            }
        }
        return env;
    }

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> resources, String kind) {
        return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }
}
