package dev.readiness.samples.k8s;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the subset the project's manifests use:
 * {@code resources} (files and directories), {@code components}, {@code namePrefix} (with the references the
 * manifests hold: the ConfigMap volume and the HPA's target), {@code labels} (with {@code includeSelectors} on
 * the selectors kustomize updates for every version: Deployment, Service, PodDisruptionBudget),
 * {@code images}, and {@code patches} with a kind target and a JSON 6902 patch. Anything else fails loudly,
 * so a manifest change the checks cannot follow is never silently skipped.
 */
final class Kustomize {

    private Kustomize() {
    }

    static List<Map<String, Object>> build(Path dir) throws IOException {
        Map<String, Object> k = Yaml.load(dir.resolve("kustomization.yaml"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object r : Yaml.list(k.get("resources"))) {
            Path p = dir.resolve((String) r).normalize();
            if (Files.isDirectory(p)) {
                out.addAll(build(p));
            } else {
                out.addAll(Yaml.loadAll(p));
            }
        }
        for (Object c : Yaml.list(k.get("components"))) {
            Path p = dir.resolve((String) c).normalize();
            Map<String, Object> component = Yaml.load(p.resolve("kustomization.yaml"));
            if (!"Component".equals(component.get("kind"))) {
                throw new IllegalArgumentException(p + " is listed as a component but is a " + component.get("kind"));
            }
            applyPatches(out, component, p);
        }
        for (String key : k.keySet()) {
            if (!List.of("apiVersion", "kind", "resources", "components", "namePrefix", "labels", "images", "patches")
                    .contains(key)) {
                throw new IllegalArgumentException(dir + ": kustomization field '" + key + "' is not understood by"
                        + " the manifest checks; teach Kustomize.java about it");
            }
        }
        if (k.get("namePrefix") instanceof String prefix) {
            prefix(out, prefix);
        }
        for (Object l : Yaml.list(k.get("labels"))) {
            Map<String, Object> entry = Yaml.map(l);
            labels(out, Yaml.stringMap(entry.get("pairs")), Boolean.TRUE.equals(entry.get("includeSelectors")));
        }
        for (Object i : Yaml.list(k.get("images"))) {
            Map<String, Object> image = Yaml.map(i);
            images(out, (String) image.get("name"), image.get("newName") + ":" + image.get("newTag"));
        }
        applyPatches(out, k, dir);
        return out;
    }

    private static void applyPatches(List<Map<String, Object>> resources, Map<String, Object> k, Path dir) {
        for (Object p : Yaml.list(k.get("patches"))) {
            Map<String, Object> patch = Yaml.map(p);
            String kind = (String) Yaml.map(patch.get("target")).get("kind");
            List<Object> ops = Yaml.list(new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions()))
                    .load((String) patch.get("patch")));
            boolean matched = false;
            for (Map<String, Object> r : resources) {
                if (kind.equals(r.get("kind"))) {
                    matched = true;
                    for (Object op : ops) {
                        JsonPatch.apply(r, Yaml.map(op));
                    }
                }
            }
            if (!matched) {
                throw new IllegalArgumentException(dir + ": a patch targets kind " + kind + ", which no resource has");
            }
        }
    }

    private static void prefix(List<Map<String, Object>> resources, String prefix) {
        Map<String, String> renamed = new LinkedHashMap<>();
        for (Map<String, Object> r : resources) {
            Map<String, Object> meta = Yaml.map(r.get("metadata"));
            String old = (String) meta.get("name");
            meta.put("name", prefix + old);
            renamed.put(r.get("kind") + "/" + old, prefix + old);
        }
        for (Map<String, Object> r : resources) {
            switch ((String) r.get("kind")) {
                case "Deployment" -> {
                    Map<String, Object> pod = Yaml.at(r, "spec", "template", "spec");
                    for (Object v : Yaml.list(pod.get("volumes"))) {
                        Map<String, Object> volume = Yaml.map(v);
                        if (volume.get("configMap") instanceof Map<?, ?> cm) {
                            rename(Yaml.map(cm), "ConfigMap", renamed);
                        }
                    }
                }
                case "HorizontalPodAutoscaler" -> {
                    Map<String, Object> target = Yaml.at(r, "spec", "scaleTargetRef");
                    rename(target, (String) target.get("kind"), renamed);
                }
                default -> {
                }
            }
        }
    }

    private static void rename(Map<String, Object> ref, String kind, Map<String, String> renamed) {
        String to = renamed.get(kind + "/" + ref.get("name"));
        if (to != null) {
            ref.put("name", to);
        }
    }

    private static void labels(List<Map<String, Object>> resources, Map<String, String> pairs, boolean selectors) {
        for (Map<String, Object> r : resources) {
            Yaml.mapAt(Yaml.map(r.get("metadata")), "labels").putAll(pairs);
            if (!selectors) {
                continue;
            }
            switch ((String) r.get("kind")) {
                case "Deployment" -> {
                    Yaml.mapAt(Yaml.at(r, "spec", "selector"), "matchLabels").putAll(pairs);
                    Yaml.mapAt(Yaml.at(r, "spec", "template", "metadata"), "labels").putAll(pairs);
                }
                case "Service" -> Yaml.mapAt(Yaml.map(r.get("spec")), "selector").putAll(pairs);
                case "PodDisruptionBudget" -> Yaml.mapAt(Yaml.at(r, "spec", "selector"), "matchLabels").putAll(pairs);
                default -> {
                }
            }
        }
    }

    private static void images(List<Map<String, Object>> resources, String name, String replacement) {
        for (Map<String, Object> r : resources) {
            if ("Deployment".equals(r.get("kind"))) {
                for (Object c : Yaml.list(Yaml.at(r, "spec", "template", "spec").get("containers"))) {
                    Map<String, Object> container = Yaml.map(c);
                    if (name.equals(container.get("image"))) {
                        container.put("image", replacement);
                    }
                }
            }
        }
    }
}
