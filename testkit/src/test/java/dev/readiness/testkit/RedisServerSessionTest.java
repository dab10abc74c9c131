package dev.readiness.testkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RedisServerSessionTest {

    @Test
    void aServerStartedInItsOwnSessionIsOutOfReachOfTheTerminalsCtrlC() throws IOException {
        long ours = sessionOf(ProcessHandle.current().pid());
        try (RedisServer own = RedisServer.startInOwnSession(); RedisServer plain = RedisServer.start()) {
            assertThat(own.command("PING")).contains("PONG");
            // a terminal's SIGINT goes to its foreground process group, inside the terminal's session
            assertThat(sessionOf(own.pid())).as("own session").isNotEqualTo(ours).isEqualTo(own.pid());
            assertThat(sessionOf(plain.pid())).as("a plain start stays in ours").isEqualTo(ours);
        }
    }

    /** Field 6 of /proc/PID/stat, after the parenthesised command name (which may hold spaces). */
    private static long sessionOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(after[3]);
    }
}
