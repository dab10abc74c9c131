package dev.readiness.gc.budget;

import dev.readiness.gc.budget.UserFlags.Option;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UserFlagsTest {

    @Test
    void optionsFromBothVariablesAndTheCommandLineAreFoundWithTheirSource() {
        UserFlags f = UserFlags.parse("-Xmx300m -javaagent:/a.jar", "-XX:MaxMetaspaceSize=128m",
                List.of("-Xss512k", "-XX:+UseParallelGC", "-jar", "app.jar", "-Xms1g"));
        assertThat(f.get(Option.MAX_HEAP)).hasValueSatisfying(s -> {
            assertThat(s.value()).isEqualTo(300L << 20);
            assertThat(s.source()).isEqualTo("JAVA_TOOL_OPTIONS");
        });
        assertThat(f.bytes(Option.METASPACE)).hasValue(128L << 20);
        assertThat(f.get(Option.METASPACE).orElseThrow().source()).isEqualTo("JDK_JAVA_OPTIONS");
        assertThat(f.bytes(Option.STACK_SIZE)).hasValue(512L << 10);
        assertThat(f.get(Option.COLLECTOR).orElseThrow().value()).isEqualTo("parallel");
        assertThat(f.classPath()).containsExactly("app.jar");
        assertThat(f.has(Option.INITIAL_HEAP)).as("-Xms1g is an argument of the app, after -jar").isFalse();
    }

    @Test
    void theCommandLineWinsOverTheVariablesAsInTheJvm() {
        UserFlags f = UserFlags.parse("-Xmx1g", null, List.of("-Xmx256m", "Main"));
        assertThat(f.bytes(Option.MAX_HEAP)).hasValue(256L << 20);
        assertThat(f.get(Option.MAX_HEAP).orElseThrow().source()).isEqualTo("command line");
    }

    @Test
    void quotedPartsStayTogether() {
        assertThat(UserFlags.tokenize(" -Da='x y'  -Db=\"1 2\" -Xmx1g ")).containsExactly("-Da=x y", "-Db=1 2", "-Xmx1g");
    }

    @Test
    void argfilesOnTheCommandLineAreExpanded(@TempDir Path dir) throws Exception {
        Path args = Files.writeString(dir.resolve("jvm.args"), "-XX:ReservedCodeCacheSize=64m\n-XX:+ExitOnOutOfMemoryError\n");
        UserFlags f = UserFlags.parse(null, null, List.of("@" + args, "-cp", "a.jar:b.jar", "Main"));
        assertThat(f.bytes(Option.CODE_CACHE)).hasValue(64L << 20);
        assertThat(f.has(Option.EXIT_ON_OOM)).isTrue();
        assertThat(f.get(Option.CODE_CACHE).orElseThrow().source()).contains("jvm.args");
        assertThat(f.classPath()).containsExactly("a.jar", "b.jar");
    }

    @Test
    void unreadableOptionsAreReportedAndLeftToTheJvm(@TempDir Path dir) {
        UserFlags f = UserFlags.parse("-Xmxlots", null, List.of("@" + dir.resolve("missing.args"), "Main"));
        assertThat(f.has(Option.MAX_HEAP)).isFalse();
        assertThat(f.problems()).anyMatch(p -> p.contains("-Xmxlots")).anyMatch(p -> p.contains("missing.args"));
    }

    @Test
    void everyKindOfOptionTheBudgetCaresAboutIsRecognised() {
        UserFlags f = UserFlags.parse("-XX:MaxRAMPercentage=60 -XX:ThreadStackSize=256 -XX:MaxDirectMemorySize=1g "
                + "-XX:-ExitOnOutOfMemoryError -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/d -Xlog:gc:stdout "
                + "-XX:ActiveProcessorCount=3 -XX:InitialHeapSize=64m", null, List.of());
        assertThat(f.all().keySet()).contains(Option.RAM_PERCENTAGE, Option.STACK_SIZE, Option.DIRECT_MEMORY,
                Option.EXIT_ON_OOM, Option.HEAP_DUMP, Option.HEAP_DUMP_PATH, Option.GC_LOG, Option.ACTIVE_PROCESSORS,
                Option.INITIAL_HEAP);
        assertThat(f.bytes(Option.STACK_SIZE)).as("ThreadStackSize is in KiB").hasValue(256L << 10);
    }
}
