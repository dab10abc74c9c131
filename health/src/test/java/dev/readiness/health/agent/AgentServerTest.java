package dev.readiness.health.agent;

import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.health.saturation.Saturation;
import dev.readiness.testkit.fuzz.Fuzz;
import dev.readiness.testkit.fuzz.Gen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent over real loopback connections, the way HAProxy meets it. */
class AgentServerTest {

    private static final String GRAMMAR = "(up ready (100|[1-9][0-9]?)%|down|drain|maint)\n";

    private final HealthRegistry registry = HealthRegistry.create();
    private final AtomicReference<Double> saturation = new AtomicReference<>(0.0);
    private AgentServer agent;

    private AgentServer start(AgentSettings.Builder settings) {
        agent = AgentServer.builder(registry).settings(settings.host("127.0.0.1").port(0).build())
                .saturation(Saturation.of("test", saturation::get)).start();
        return agent;
    }

    @AfterEach
    void close() {
        if (agent != null) {
            agent.close();
        }
        registry.close();
    }

    private String ask(byte[] request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), agent.port())) {
            s.setSoTimeout(3_000);
            if (request != null) {
                OutputStream out = s.getOutputStream();
                try {
                    out.write(request);
                    out.flush();
                } catch (IOException refusedWhileWriting) {
                    // the agent stopped reading at its bound and may have closed: its answer is still there
                }
            }
            return readAll(s.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[256];
        int n;
        try {
            while ((n = in.read(buf)) > 0) {
                b.write(buf, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // an RST after the answer (unread bytes of ours) ends the stream: what arrived is the answer
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    private String ask(String line) throws IOException {
        return ask(line.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void answersDownUntilStartedThenUpWithFullWeight() throws IOException {
        start(AgentSettings.builder());
        registry.start();
        assertThat(ask("check\n")).isEqualTo("down\n");
        registry.markStarted();
        assertThat(ask("check\n")).isEqualTo("up ready 100%\n");
        assertThat(agent.answers(AgentAnswer.UP)).isEqualTo(1);
        assertThat(agent.answers(AgentAnswer.DOWN)).isEqualTo(1);
    }

    @Test
    void currentLineIsWhatAConnectionReadsAndIsNotCountedAsAnAnswer() throws IOException {
        start(AgentSettings.builder());
        registry.start();
        registry.markStarted();
        assertThat(agent.currentLine()).isEqualTo("up ready 100%\n");
        assertThat(agent.answers(AgentAnswer.UP)).isZero();
        assertThat(agent.lastWeight()).as("no answer given yet").isEqualTo(-1);
        assertThat(ask("\n")).isEqualTo(agent.currentLine());
        assertThat(agent.answers(AgentAnswer.UP)).isEqualTo(1);
        assertThat(agent.lastWeight()).isEqualTo(100);
    }

    @Test
    void aPortInUseOrAHostThatDoesNotResolveFailsTheStartNamingIt() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentServer.builder(registry)
                            .settings(AgentSettings.builder().host("127.0.0.1").port(taken.getLocalPort()).build()).start())
                    .isInstanceOf(java.io.UncheckedIOException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentServer.builder(registry)
                        .settings(AgentSettings.builder().host("no-such-host.invalid").port(0).build()).start())
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("no-such-host.invalid");
    }

    @Test
    void answersDrainFromTheFirstInstantOfADrain() throws IOException {
        start(AgentSettings.builder());
        registry.start();
        registry.markStarted();
        registry.beginDrain();
        assertThat(ask("x\n")).isEqualTo("drain\n");
        assertThat(agent.lastWeight()).isZero();
    }

    @Test
    void answersDownWhenTheApplicationRefusesTrafficAndMaintOnRequest() throws IOException {
        start(AgentSettings.builder());
        registry.start();
        registry.markStarted();
        registry.refuseTraffic("overloaded");
        assertThat(ask("\n")).isEqualTo("down\n");
        registry.acceptTraffic();
        agent.maintenance(true);
        assertThat(ask("\n")).isEqualTo("maint\n");
        agent.maintenance(false);
        assertThat(ask("\n")).isEqualTo("up ready 100%\n");
    }

    @Test
    void weightFollowsSaturation() throws IOException {
        start(AgentSettings.builder());
        registry.start();
        registry.markStarted();
        saturation.set(0.2);
        assertThat(ask("\n")).isEqualTo("up ready 100%\n");
        saturation.set(1.5);
        assertThat(ask("\n")).isEqualTo("up ready 10%\n");
        saturation.set(Double.NaN);
        assertThat(ask("\n")).isEqualTo("up ready 100%\n");
    }

    @Test
    void silenceIsAnsweredWhenTheReadTimeoutPassesAndALineAtOnce() throws IOException {
        start(AgentSettings.builder().readTimeout(Duration.ofMillis(300)));
        long t0 = System.nanoTime();
        assertThat(ask((byte[]) null)).isEqualTo("down\n");
        long silent = System.nanoTime() - t0;
        t0 = System.nanoTime();
        assertThat(ask("be_web/srv1\n")).isEqualTo("down\n");
        long line = System.nanoTime() - t0;
        assertThat(Duration.ofNanos(silent)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
        assertThat(line).isLessThan(silent);
        assertThat(agent.requests(AgentServer.RequestKind.NONE)).isEqualTo(1);
        assertThat(agent.requests(AgentServer.RequestKind.LINE)).isEqualTo(1);
    }

    @Test
    void anOversizedOrBinaryRequestIsCountedInvalidAndAnsweredAllTheSame() throws IOException {
        start(AgentSettings.builder());
        registry.start();
        registry.markStarted();
        assertThat(ask("x".repeat(100_000))).isEqualTo("up ready 100%\n");
        assertThat(ask(new byte[] {1, 2, (byte) 0xff, '\n'})).isEqualTo("up ready 100%\n");
        assertThat(agent.requests(AgentServer.RequestKind.INVALID)).isEqualTo(2);
    }

    @Test
    void slowClientsHoldingConnectionsNeverDelayAnAnswerPastTheReadTimeout() throws IOException {
        start(AgentSettings.builder().readTimeout(Duration.ofMillis(200)));
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), agent.port());
                s.getOutputStream().write('x'); // never ends its line
                slow.add(s);
            }
            long t0 = System.nanoTime();
            assertThat(ask("check\n")).isEqualTo("down\n");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("answered within a few read timeouts")
                    .isLessThan(Duration.ofSeconds(2));
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void anyRequestBytesGetOneAnswerOfTheGrammarAndTheAgentKeepsServing() {
        start(AgentSettings.builder().readTimeout(Duration.ofMillis(50)));
        registry.start();
        registry.markStarted();
        Gen<byte[]> lines = Gen.oneOf(Gen.bytes().ofMaxSize(600),
                Gen.strings().ofMaxLength(300).map(s -> (s + "\n").getBytes(StandardCharsets.UTF_8)),
                Gen.strings().ascii().ofMaxLength(40).map(s -> (s + "\r\n").getBytes(StandardCharsets.US_ASCII)),
                Gen.of("\n", "\0", "\r\n", "up\n", "drain\n", "maint\n", "be/srv\nmore\n", "\n\n\n")
                        .map(s -> s.getBytes(StandardCharsets.US_ASCII)));
        Fuzz.forAll(300, Gen.combine(lines, Gen.doubles(), (b, d) -> new Object[] {b, d}), pair -> {
            saturation.set(Math.abs((Double) pair[1]));
            long t0 = System.nanoTime();
            String answer = ask((byte[]) pair[0]);
            assertThat(answer).matches(GRAMMAR);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        });
        saturation.set(0.0);
        try {
            assertThat(ask("check\n")).isEqualTo("up ready 100%\n");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
