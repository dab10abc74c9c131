package dev.readiness.core.listen;

import dev.readiness.testkit.fuzz.Fuzz;
import dev.readiness.testkit.fuzz.Gen;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole listen-queue probe over a /proc tree whose every file is hostile (a recorded kernel's files mutated,
 * or random bytes) and whose {@code self/fd} links point anywhere: {@link ListenQueueProbe#sample()} never throws,
 * and what it cannot read it names in {@link ListenQueueSample#unknown()}.
 */
class ListenQueueProbePropertiesTest {

    private static final String[] KERNELS = {ProcTrees.LINUX_6_18, ProcTrees.LINUX_4_19, ProcTrees.LINUX_3_10};
    private static final String[] FILES = {"sys/net/core/somaxconn", "net/netstat", "net/tcp", "net/tcp6"};

    private static void deleteRoot(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Gen<String> fdTarget() {
        return Gen.oneOf(Gen.of("socket:[]", "socket:[-1]", "socket:[9223372036854775808]",
                        "socket:[12345", "socket:12345]", "socket:[0x10]", "socket:[1]]", "pipe:[1]",
                        "/dev/null", "anon_inode:[eventpoll]", "socket:[10612]", "socket:[" + "9".repeat(500) + "]"),
                // ASCII: the JVM may run in the POSIX locale, where it cannot name any other link target
                Gen.strings().ascii().ofMinLength(1).ofMaxLength(30).filter(s -> s.indexOf('\0') < 0));
    }

    /** A /proc tree to build: a recorded kernel's files, mutated as the seed says, and {@code self/fd} links. */
    private record Tree(String kernel, long seed, List<String> fds, boolean configuredPorts) {
    }

    @Test
    void aHostileProcTreeNeverMakesTheProbeThrow() {
        // up to 30 link targets, of which the first 20 are linked
        Gen<Tree> trees = Gen.combine(kernel(), Gen.longs(), fdTarget().list().ofMaxSize(30), Gen.of(false, true),
                Tree::new);
        Fuzz.forAll(200, trees, tree -> {
            Path root = Files.createTempDirectory("proc-property");
            try {
                sample(root, tree.kernel(), tree.seed(), tree.fds(), tree.configuredPorts());
            } finally {
                deleteRoot(root);
            }
        });
    }

    private static void sample(Path root, String kernel, long seed, List<String> fds, boolean configuredPorts)
            throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        for (String file : FILES) {
            int kind = random.nextInt(5);
            Path to = root.resolve(file);
            Files.createDirectories(to.getParent());
            if (kind == 0) {
                continue; // missing
            }
            byte[] data = ProcTrees.bytes(kernel, file);
            data = switch (kind) {
                case 1 -> data;
                case 2 -> ProcParserFuzzTest.mutate(data, random);
                case 3 -> ProcParserFuzzTest.mutate(ProcParserFuzzTest.mutate(data, random), random);
                default -> {
                    byte[] b = new byte[random.nextInt(3000)];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = (byte) random.nextInt(256);
                    }
                    yield b;
                }
            };
            Files.write(to, data);
        }
        Path fd = Files.createDirectories(root.resolve("self/fd"));
        for (int i = 0; i < Math.min(fds.size(), 20); i++) {
            Files.createSymbolicLink(fd.resolve(Integer.toString(i)), Path.of(fds.get(i)));
        }
        ListenQueueSettings.Builder settings = ListenQueueSettings.builder().procRoot(root);
        if (configuredPorts) {
            settings.ports(Set.of(8080, 8443));
        }
        ListenQueueProbe probe = ListenQueueProbe.builder(settings.build()).ticker(System::nanoTime)
                .warnings(w -> { }).build();
        for (int i = 0; i < 2; i++) { // a second sample may read only the tables' LISTEN sections
            ListenQueueSample s = probe.sample();
            assertThat(s.unknown()).isNotNull();
            assertThat(s.overflowsDelta()).isGreaterThanOrEqualTo(-1);
            for (ListenSocket l : s.listeners()) {
                assertThat(l.port()).isBetween(0, 65535);
                assertThat(l.queueDepth()).isNotNegative();
            }
        }
    }

    private static Gen<String> kernel() {
        return Gen.of(KERNELS);
    }
}
