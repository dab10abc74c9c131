package dev.readiness.gc.cli;

import dev.readiness.gc.GcTuning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(Map<String, String> env, String tree, String... args) {
        try {
            Path root = Path.of(MainTest.class.getResource("/cgroup-trees/" + tree).toURI());
            GcTuning.Inputs in = new GcTuning.Inputs(env, List.of(), root, Path.of(System.getProperty("java.home")), 2);
            return Main.run(args, in, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void flagsPrintsOneOptionALine() {
        assertThat(run(Map.of("READINESS_GC_CLASS_COUNT", "10000"), "v1-limited", "flags")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).contains("-Xmx249m", "-XX:+UseG1GC")
                .allMatch(l -> l.startsWith("-") && !l.contains(" "));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void cgroupWarningsGoToStandardErrorNotIntoTheFlags() {
        assertThat(run(Map.of("READINESS_GC_CLASS_COUNT", "10000"), "v2-garbage", "flags")).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("readiness-gc: warning:").contains("'fast'");
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).allMatch(l -> l.startsWith("-"));
    }

    @Test
    void explainPrintsTheBudgetTable() {
        assertThat(run(Map.of(), "v1-limited", "explain")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("budget:").contains("thread stacks").contains("flags:");
    }

    @Test
    void argfileWritesTheOptionsForJavaAtFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gc.args");
        assertThat(run(Map.of("READINESS_GC_CLASS_COUNT", "10000"), "v1-limited", "argfile", file.toString())).isZero();
        assertThat(Files.readAllLines(file)).contains("-Xmx249m", "-XX:+ExitOnOutOfMemoryError");
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void aBadSettingExitsWithTwoAndNamesIt() {
        assertThat(run(Map.of("READINESS_GC_HEADROOM_PERCENT", "80"), "v1-limited", "flags")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("READINESS_GC_HEADROOM_PERCENT=80 is invalid");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aContainerTooSmallExitsWithThreeAndPrintsTheTable() {
        assertThat(run(Map.of("READINESS_GC_MEMORY_LIMIT", "128Mi"), "v1-limited", "flags")).isEqualTo(3);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot hold this JVM").contains("metaspace");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void entrypointPrintsThePosixScript() {
        assertThat(run(Map.of(), "v1-limited", "entrypoint")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("#!/bin/sh").contains("MALLOC_ARENA_MAX")
                .contains("exec \"$java_cmd\" \"$@\"");
    }

    @Test
    void unknownCommandsAndMissingArgumentsAreUsageErrors() {
        assertThat(run(Map.of(), "v1-limited", "frobnicate")).isEqualTo(2);
        assertThat(run(Map.of(), "v1-limited", "argfile")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'frobnicate'").contains("usage");
    }
}
