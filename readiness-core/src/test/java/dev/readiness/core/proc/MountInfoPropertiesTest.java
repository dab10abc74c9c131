package dev.readiness.core.proc;

import dev.readiness.core.proc.MountInfo.Mount;
import dev.readiness.testkit.fuzz.Fuzz;
import dev.readiness.testkit.fuzz.Gen;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MountInfo} never throws: every non-blank line is a mount or is kept in {@link MountInfo#ignored()}, and a
 * generated {@code /proc/self/mountinfo}, paths escaped as the kernel escapes them, parses to the mounts it was
 * generated from.
 */
class MountInfoPropertiesTest {

    @Test
    void everyNonBlankLineIsAMountOrIgnored() {
        Fuzz.forAll(2000, mountinfoish(), text -> {
            MountInfo info = MountInfo.parse(text);
            long lines = java.util.Arrays.stream(text.split("\n")).filter(l -> !l.isBlank()).count();
            assertThat((long) info.mounts().size() + info.ignored().size()).isEqualTo(lines);
            for (Mount m : info.mounts()) {
                assertThat(m.superOptions()).isNotNull();
            }
        });
    }

    private static Gen<String> mountinfoish() {
        Gen<String> any = Gen.strings().all().ofMaxLength(300);
        Gen<String> alphabet = Gen.strings().withChars("0123456789 -:/\\\n\r\tcgroup2rw,").ofMaxLength(300);
        Gen<String> valid = mounts().map(MountInfoPropertiesTest::render);
        Gen<String> mangled = valid.flatMap(v -> Gen.integers().between(0, v.length())
                .flatMap(at -> Gen.of("", " ", " - ", "\\", "\\0", "\\777", "\\\\", "\u0000", "\r", "\n",
                        "-", "  ").map(ins -> v.substring(0, at) + ins + v.substring(Math.min(v.length(), at + 1)))));
        return Gen.oneOf(any, alphabet, valid, mangled);
    }

    /** A mount line of the kernel's shape, with the optional fields (7) zero or more. */
    record Line(String root, String mountPoint, List<String> optional, String fsType, String source,
                List<String> superOptions) {
    }

    private static Gen<List<Line>> mounts() {
        Gen<String> path = Gen.strings().withChars("abc/ \t\n\\-é.").ofMaxLength(20).map(s -> "/" + s);
        Gen<String> word = Gen.strings().withChars("abcxyz0123456789_:").ofMinLength(1).ofMaxLength(10);
        Gen<List<String>> optional = word.list().ofMaxSize(3);
        Gen<String> fsType = Gen.of("cgroup", "cgroup2", "ext4", "overlay", "tmpfs", "proc");
        Gen<List<String>> opts = Gen.strings().withChars("abcdefg=0123456789").ofMinLength(1)
                .ofMaxLength(8).list().ofMinSize(1).ofMaxSize(5);
        Gen<Line> line = r -> new Line(path.next(r), path.next(r), optional.next(r), fsType.next(r), path.next(r),
                opts.next(r));
        return line.list().ofMaxSize(20);
    }

    @Test
    void aGeneratedMountinfoParsesToItsMounts() {
        Fuzz.forAll(1000, mounts(), lines -> {
            MountInfo info = MountInfo.parse(render(lines));
            assertThat(info.ignored()).isEmpty();
            List<Mount> expected = new ArrayList<>();
            for (Line l : lines) {
                expected.add(new Mount(l.root(), l.mountPoint(), l.fsType(), l.superOptions()));
            }
            assertThat(info.mounts()).isEqualTo(expected);
        });
    }

    private static String render(List<Line> lines) {
        StringBuilder b = new StringBuilder();
        int id = 20;
        for (Line l : lines) {
            b.append(id).append(' ').append(id - 1).append(" 0:").append(id).append(' ').append(escape(l.root()))
                    .append(' ').append(escape(l.mountPoint())).append(" rw,nosuid");
            for (String o : l.optional()) {
                b.append(' ').append(o);
            }
            b.append(" - ").append(l.fsType()).append(' ').append(escape(l.source())).append(' ')
                    .append(String.join(",", l.superOptions())).append('\n');
            id++;
        }
        return b.toString();
    }

    /** As the kernel's {@code mangle()}: space, tab, newline and backslash as three octal digits. */
    private static String escape(String s) {
        return s.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011").replace("\n", "\\012");
    }
}
