package dev.readiness.core.proc;

import dev.readiness.core.proc.MountInfo.Mount;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MountInfo} never throws: every non-blank line is a mount or is kept in {@link MountInfo#ignored()}, and a
 * generated {@code /proc/self/mountinfo}, paths escaped as the kernel escapes them, parses to the mounts it was
 * generated from.
 */
class MountInfoPropertiesTest {

    @Property(tries = 2000)
    void everyNonBlankLineIsAMountOrIgnored(@ForAll("mountinfoish") String text) {
        MountInfo info = MountInfo.parse(text);
        long lines = java.util.Arrays.stream(text.split("\n")).filter(l -> !l.isBlank()).count();
        assertThat((long) info.mounts().size() + info.ignored().size()).isEqualTo(lines);
        for (Mount m : info.mounts()) {
            assertThat(m.superOptions()).isNotNull();
        }
    }

    @Provide
    Arbitrary<String> mountinfoish() {
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(300);
        Arbitrary<String> alphabet = Arbitraries.strings().withChars("0123456789 -:/\\\n\r\tcgroup2rw,").ofMaxLength(300);
        Arbitrary<String> valid = mounts().map(MountInfoPropertiesTest::render);
        Arbitrary<String> mangled = valid.flatMap(v -> Arbitraries.integers().between(0, v.length())
                .flatMap(at -> Arbitraries.of("", " ", " - ", "\\", "\\0", "\\777", "\\\\", "\u0000", "\r", "\n",
                        "-", "  ").map(ins -> v.substring(0, at) + ins + v.substring(Math.min(v.length(), at + 1)))));
        return Arbitraries.oneOf(any, alphabet, valid, mangled);
    }

    /** A mount line of the kernel's shape, with the optional fields (7) zero or more. */
    record Line(String root, String mountPoint, List<String> optional, String fsType, String source,
                List<String> superOptions) {
    }

    @Provide
    Arbitrary<List<Line>> mounts() {
        Arbitrary<String> path = Arbitraries.strings().withChars("abc/ \t\n\\-é.").ofMaxLength(20).map(s -> "/" + s);
        Arbitrary<String> word = Arbitraries.strings().withChars("abcxyz0123456789_:").ofMinLength(1).ofMaxLength(10);
        Arbitrary<String> fsType = Arbitraries.of("cgroup", "cgroup2", "ext4", "overlay", "tmpfs", "proc");
        Arbitrary<List<String>> opts = Arbitraries.strings().withChars("abcdefg=0123456789").ofMinLength(1)
                .ofMaxLength(8).list().ofMinSize(1).ofMaxSize(5);
        return Combinators.combine(path, path, word.list().ofMaxSize(3), fsType, path, opts)
                .as(Line::new).list().ofMaxSize(20);
    }

    @Property(tries = 1000)
    void aGeneratedMountinfoParsesToItsMounts(@ForAll("mounts") List<Line> lines) {
        MountInfo info = MountInfo.parse(render(lines));
        assertThat(info.ignored()).isEmpty();
        List<Mount> expected = new ArrayList<>();
        for (Line l : lines) {
            expected.add(new Mount(l.root(), l.mountPoint(), l.fsType(), l.superOptions()));
        }
        assertThat(info.mounts()).isEqualTo(expected);
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
