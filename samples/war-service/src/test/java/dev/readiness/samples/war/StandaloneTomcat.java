package dev.readiness.samples.war;

import dev.readiness.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real standalone Tomcat, the way an operator runs one: the unpacked distribution as {@code CATALINA_HOME},
 * a {@code CATALINA_BASE} of its own in a temporary directory (its {@code conf/} copied from the distribution,
 * a {@code server.xml} with the readiness listener and a free loopback port, the listener's jar in
 * {@code lib/}, the WAR as {@code webapps/ROOT.war}), started with {@code bin/catalina.sh run}, which
 * {@code exec}s the JVM, so the process the test signals is Tomcat's JVM itself.
 */
final class StandaloneTomcat implements AutoCloseable {

    private final Process process;
    private final Path base;
    private final Path log;
    private final int port;

    private StandaloneTomcat(Process process, Path base, Path log, int port) {
        this.process = process;
        this.base = base;
        this.log = log;
        this.port = port;
    }

    static Path property(String name) {
        String value = System.getProperty(name);
        if (value == null || !Files.exists(Path.of(value))) {
            throw new IllegalStateException(name + "=" + value + " does not exist: run the test with mvn -pl"
                    + " samples/war-service -am verify, which packages the WAR and unpacks Tomcat first");
        }
        return Path.of(value);
    }

    /** Starts Tomcat with {@code env} added to a clean environment (no READINESS_*, JAVA_OPTS or CATALINA_*). */
    static StandaloneTomcat start(Map<String, String> env) throws IOException {
        Path home = property("tomcat.home");
        Path base = Files.createTempDirectory("catalina-base-");
        for (String dir : List.of("conf", "lib", "logs", "temp", "webapps", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
            for (Path f : conf.filter(Files::isRegularFile).toList()) {
                Files.copy(f, base.resolve("conf").resolve(f.getFileName()));
            }
        }
        int port = FreePorts.next();
        Files.writeString(base.resolve("conf/server.xml"), serverXml(port));
        Files.copy(property("tomcat.listener.jar"), base.resolve("lib/readiness-tomcat-listener.jar"));
        Files.copy(property("sample.war"), base.resolve("webapps/ROOT.war"), StandardCopyOption.REPLACE_EXISTING);

        Path log = base.resolve("logs/console.log");
        ProcessBuilder pb = new ProcessBuilder("sh", home.resolve("bin/catalina.sh").toString(), "run")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("READINESS_") || k.startsWith("CATALINA_")
                || k.equals("JAVA_OPTS") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS")
                || k.equals("JRE_HOME"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("CATALINA_HOME", home.toString());
        pb.environment().put("CATALINA_BASE", base.toString());
        pb.environment().put("CATALINA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
        pb.environment().putAll(env);
        return new StandaloneTomcat(pb.start(), base, log, port);
    }

    /**
     * No shutdown port (SIGTERM stops it, as in a pod), one HTTP connector on loopback, the WAR deployed once at
     * start. The listener is the one line a user adds.
     */
    static String serverXml(int port) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Server port="-1" shutdown="SHUTDOWN">
                  <Listener className="org.apache.catalina.startup.VersionLoggerListener"/>
                  <Listener className="dev.readiness.tomcat.ReadinessLifecycleListener"/>
                  <Service name="Catalina">
                    <Connector port="%d" address="127.0.0.1" protocol="HTTP/1.1" connectionTimeout="20000"/>
                    <Engine name="Catalina" defaultHost="localhost">
                      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="false"/>
                    </Engine>
                  </Service>
                </Server>
                """.formatted(port);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A real SIGTERM to Tomcat's JVM. */
    void sigterm() {
        process.destroy();
    }

    /** The exit status, waiting at most {@code timeout}; fails with the log when Tomcat does not exit. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("Tomcat did not exit within " + timeout + "; log:\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(20, TimeUnit.SECONDS);
            }
        }
        try (Stream<Path> files = Files.walk(base)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

}
