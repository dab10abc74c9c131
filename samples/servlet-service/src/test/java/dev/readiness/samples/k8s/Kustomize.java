package dev.readiness.samples.k8s;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with the real tool, {@code kubectl kustomize <dir>}, and parses what it prints: the
 * checks then see exactly what {@code kubectl apply -k} would send. {@code ./test.sh} installs kubectl (Debian's
 * {@code kubernetes-client}) when it is missing; the manifests use only fields that kubectl 1.20's kustomize
 * (2.0) and today's (5.x) both understand.
 */
final class Kustomize {

    /** The command that renders; {@code -Dkubectl=/path/to/kubectl} picks another binary. */
    static final String KUBECTL = System.getProperty("kubectl", "kubectl");

    private Kustomize() {
    }

    static List<Map<String, Object>> build(Path dir) throws IOException {
        Path err = Files.createTempFile("kustomize", ".err");
        Process p;
        try {
            p = new ProcessBuilder(KUBECTL, "kustomize", dir.toString()).redirectError(err.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run '" + KUBECTL + " kustomize' (" + e.getMessage() + "): the"
                    + " manifest tests render with the real kubectl; ./test.sh at the repository root installs it"
                    + " (Debian package kubernetes-client)", e);
        }
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(KUBECTL + " kustomize " + dir + " did not finish within 60 s");
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(KUBECTL + " kustomize " + dir + " exited " + p.exitValue() + ": "
                        + stderr.strip());
            }
            return Yaml.loadAll(new StringReader(new String(out, StandardCharsets.UTF_8)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while rendering " + dir, e);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
