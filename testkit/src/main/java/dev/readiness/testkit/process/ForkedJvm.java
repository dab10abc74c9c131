package dev.readiness.testkit.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real JVM started as a child process ({@code java -cp ... Main}, no shell in between, so signals reach the
 * JVM as they do PID 1 in a container), whose output is captured line by line and which is sent real POSIX
 * signals. For tests and load harnesses; always {@link #close()} it (kills it if still running).
 */
public final class ForkedJvm implements AutoCloseable {

    private final Process process;
    private final String name;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread pump;

    private ForkedJvm(String name, Process process, boolean echo) {
        this.name = name;
        this.process = process;
        this.pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    if (echo) {
                        System.out.println("[" + name + "] " + line);
                    }
                    synchronized (lines) {
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                lines.add("<output closed: " + e + ">");
            }
        }, "forked-jvm-output-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts {@code mainClass} on {@code classpath} with this JVM's java binary; stderr is merged into stdout.
     *
     * @param env     added to this process's environment
     * @param jvmArgs e.g. {@code -Xmx64m}
     */
    public static ForkedJvm start(String name, String classpath, String mainClass, Map<String, String> env,
                                  List<String> jvmArgs, boolean echo) throws IOException {
        return start(name, classpath, mainClass, env, jvmArgs, echo, new String[0]);
    }

    /** As {@link #start(String, String, String, Map, List, boolean)}, passing {@code args} to the main method. */
    public static ForkedJvm start(String name, String classpath, String mainClass, Map<String, String> env,
                                  List<String> jvmArgs, boolean echo, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new ForkedJvm(name, pb.start(), echo);
    }

    /** The class path of this JVM, for forking a main class from the same build. */
    public static String currentClasspath() {
        return System.getProperty("java.class.path");
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    /** Every line printed so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Lines printed so far that contain {@code text}. */
    public long count(String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    /**
     * Waits for a line matching {@code regex} and returns its first group (or the whole match).
     *
     * @throws IllegalStateException when the process exits or the time passes first, with its output
     */
    public String await(String regex, Duration timeout) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        synchronized (lines) {
            while (true) {
                for (; seen < lines.size(); seen++) {
                    Matcher m = p.matcher(lines.get(seen));
                    if (m.find()) {
                        return m.groupCount() > 0 ? m.group(1) : m.group();
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !pump.isAlive())) {
                    throw new IllegalStateException(name + ": no line matching /" + regex + "/ within " + timeout
                            + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")") + "; output:\n"
                            + String.join("\n", lines));
                }
                lines.wait(Math.max(1, Math.min(100, left / 1_000_000)));
            }
        }
    }

    /** Sends a signal by name ({@code TERM}, {@code INT}, {@code KILL}) with kill(1). */
    public void signal(String signal) throws IOException, InterruptedException {
        Objects.requireNonNull(signal, "signal");
        if (!signal.matches("[A-Z0-9]{1,8}")) {
            throw new IllegalArgumentException("not a signal name: " + signal);
        }
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid()))
                .redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -s " + signal + " " + process.pid() + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /**
     * Waits for the process to exit.
     *
     * @return the exit status, or -1 when it was still running after {@code timeout}
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return -1;
        }
        pump.join(5_000);
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process (SIGKILL) if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
