package dev.readiness.samples.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads one key of the mounted ConfigMap directory: the file of that name, which the kubelet keeps as a
 * symbolic link through {@code ..data}. Keys are what Kubernetes allows in a ConfigMap
 * ({@code [-._a-zA-Z0-9]+}), and never one of the kubelet's own entries (names starting with {@code ..}).
 */
final class ConfigDirectory {

    private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");

    private final Optional<Path> dir;

    ConfigDirectory(Optional<Path> dir) {
        this.dir = dir;
    }

    static boolean isValidKey(String key) {
        return key != null && KEY.matcher(key).matches() && !key.startsWith("..") && !key.equals(".");
    }

    /** The value of {@code key}, empty when there is no directory, no such key, or the key is not a valid one. */
    Optional<String> value(String key) throws IOException {
        if (dir.isEmpty() || !isValidKey(key)) {
            return Optional.empty();
        }
        Path file = dir.get().resolve(key);
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // removed between the two calls by a ConfigMap update
        }
    }
}
