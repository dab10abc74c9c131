package dev.readiness.containers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * podman from the tests: the images built once per test JVM by {@code containers/build-images.sh}, containers
 * started detached and always removed, and the few reads the tests make ({@code logs}, {@code inspect}). A missing
 * podman is a failure naming the packages, never a skip.
 */
final class Podman {

    static final Path ROOT = Path.of(System.getProperty("readiness.repository.root", "..")).toAbsolutePath().normalize();
    static final Path CONF = ROOT.resolve("containers/containers.conf");
    static final String SERVLET = "servlet-service";
    static final String BOOT = "spring-boot-service";

    private static boolean built;
    private static String jreBase;

    private Podman() {
    }

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** The image with a shell and the gc-tuning entrypoint. */
    static String image(String sample) {
        return "localhost/readiness/" + sample + ":test";
    }

    /** The shell-less image: java is the entrypoint, its options come from {@code /jvm/gc.args}. */
    static String distroless(String sample) {
        return "localhost/readiness/" + sample + ":test-distroless";
    }

    /** Builds the base and sample images (cached: once per test JVM, and the base once per cache directory). */
    static synchronized void buildImages() {
        if (built) {
            return;
        }
        Result r = exec(Duration.ofMinutes(15), List.of("bash", ROOT.resolve("containers/build-images.sh").toString()));
        if (r.exit() != 0) {
            throw new AssertionError("containers/build-images.sh failed (exit " + r.exit() + "):\n" + r.all());
        }
        System.out.print(r.all());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("base images (\\S+) and").matcher(r.out());
        if (!m.find()) {
            throw new AssertionError("containers/build-images.sh named no base image:\n" + r.all());
        }
        jreBase = m.group(1);
        built = true;
    }

    /** The JRE base image that {@link #buildImages()} made (localhost/readiness-base/jre:hash). */
    static synchronized String jreBase() {
        buildImages();
        return jreBase;
    }

    static Result podman(Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add("podman");
        command.addAll(Arrays.asList(args));
        return exec(timeout, command);
    }

    static Result exec(Duration timeout, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("CONTAINERS_CONF", CONF.toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError(command.get(0) + " cannot be started (" + e.getMessage() + "): the container "
                    + "tests need podman, runc and debootstrap (apt-get install -y podman runc debootstrap; "
                    + "./test.sh installs them as root)", e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new AssertionError(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** {@code podman run -d --name <unique> <args>}: the container, removed by {@link Container#close()}. */
    static Container run(String... args) {
        String name = "readiness-test-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> command = new ArrayList<>(List.of("run", "-d", "--name", name));
        command.addAll(Arrays.asList(args));
        Result r = podman(Duration.ofMinutes(2), command.toArray(String[]::new));
        Container c = new Container(name);
        if (r.exit() != 0) {
            c.close();
            throw new AssertionError("podman " + String.join(" ", command) + " failed (exit " + r.exit() + "):\n"
                    + r.all());
        }
        return c;
    }

    /** A directory the container's user (10001) can read, and write when {@code writable}. */
    static Path directory(Path parent, String name, boolean writable) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString(
                writable ? "rwxrwxrwx" : "rwxr-xr-x"));
        return dir;
    }

    record Http(int status, String body) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One GET; status -1 and the exception's text when no answer came. */
    static Http get(String host, int port, String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Http(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Http(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Http(-1, e.toString());
        }
    }

    static final class Container implements AutoCloseable {
        final String name;

        Container(String name) {
            this.name = name;
        }

        String logs() {
            Result r = podman(Duration.ofSeconds(30), "logs", name);
            return r.all();
        }

        String inspect(String format) {
            Result r = podman(Duration.ofSeconds(30), "inspect", "--format", format, name);
            if (r.exit() != 0) {
                throw new AssertionError("podman inspect " + name + " failed: " + r.all());
            }
            return r.out().trim();
        }

        boolean running() {
            return "true".equals(inspect("{{.State.Running}}"));
        }

        /** Waits for the container to exit and returns its exit code. */
        int await(Duration timeout) {
            Result r = podman(timeout, "wait", name);
            if (r.exit() != 0) {
                throw new AssertionError("podman wait " + name + " failed: " + r.all());
            }
            return Integer.parseInt(r.out().trim().lines().reduce((a, b) -> b).orElseThrow());
        }

        @Override
        public void close() {
            podman(Duration.ofMinutes(1), "rm", "-f", "-t", "0", name);
        }
    }
}
