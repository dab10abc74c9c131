package dev.readiness.health.agent;

import dev.readiness.core.probe.AvailabilityState;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.thread.DaemonThreads;
import dev.readiness.core.time.Ticker;
import dev.readiness.health.saturation.Saturation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * HAProxy's agent-check, answered from the {@link HealthRegistry}, the drain and the {@link Saturation}: HAProxy
 * connects to {@code agent-port}, may send one line ({@code agent-send}), and reads one reply line
 * ({@link AgentAnswer}): {@code up ready NN%} while ready, the weight from {@link AgentWeight}; {@code drain} from the
 * first instant of a drain, before a health check can see readiness DOWN; {@code down} when not ready;
 * {@code maint} while {@link #maintenance(boolean)} is on.
 * <p>
 * The request line is optional and does not change the answer. Its read is bounded in size
 * ({@value AgentSettings#MAX_REQUEST_BYTES} bytes) and in time ({@code readiness.agent.read-timeout}): a line ended
 * by a newline (or NUL) is answered at once, silence is answered when the read timeout passes, and anything longer
 * or not printable ASCII is counted as invalid, never read further, and answered all the same. Two worker threads
 * serve connections; when both are busy, the accepting thread answers at once without reading, so a flood of slow
 * clients never delays HAProxy's checks past the read timeout.
 */
public final class AgentServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AgentServer.class);
    private static final int WORKERS = 2;

    /** How a request line arrived, for the meter {@code readiness.agent.requests{kind}}. */
    public enum RequestKind { NONE, LINE, INVALID, UNREAD }

    private final HealthRegistry registry;
    private final AgentSettings settings;
    private final Ticker ticker;
    private final AgentWeight weight;
    private final ServerSocket socket;
    private final ThreadPoolExecutor workers;
    private final Thread acceptor;
    private volatile Saturation saturation;
    private volatile boolean maintenance;
    private volatile boolean closed;
    private final Map<AgentAnswer, LongAdder> answers = new EnumMap<>(AgentAnswer.class);
    private final Map<RequestKind, LongAdder> requests = new EnumMap<>(RequestKind.class);
    private final AtomicInteger lastWeight = new AtomicInteger(-1);

    private AgentServer(Builder b) throws IOException {
        this.registry = b.registry;
        this.settings = b.settings;
        this.ticker = b.ticker;
        this.saturation = b.saturation;
        this.weight = new AgentWeight(settings);
        for (AgentAnswer a : AgentAnswer.values()) {
            answers.put(a, new LongAdder());
        }
        for (RequestKind k : RequestKind.values()) {
            requests.put(k, new LongAdder());
        }
        if (registry.state() == AvailabilityState.READY) {
            weight.readyAt(ticker.nanoTime());
        }
        registry.addListener((previous, current) -> {
            if (current == AvailabilityState.READY) {
                weight.readyAt(ticker.nanoTime());
            }
        });
        this.socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(settings.host(), settings.port()), 50);
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 1, TimeUnit.MINUTES, new SynchronousQueue<>(),
                DaemonThreads.numbered("readiness-agent-"));
        this.acceptor = DaemonThreads.start("readiness-agent-accept", this::acceptLoop);
        log.info("HAProxy agent-check endpoint on {}:{} ({})", settings.host(), port(), settings);
    }

    /** An agent for {@code registry}; {@link Builder#start()} binds it. */
    public static Builder builder(HealthRegistry registry) {
        return new Builder(Objects.requireNonNull(registry, "registry"));
    }

    /** The port it listens on (the one picked when 0 was asked for). */
    public int port() {
        return socket.getLocalPort();
    }

    /** Maintenance on: every answer is {@code maint} until it is turned off, whatever the registry says. */
    public void maintenance(boolean on) {
        if (maintenance != on) {
            log.info("HAProxy agent: maintenance {}", on ? "on (answering maint)" : "off");
        }
        maintenance = on;
    }

    public boolean maintenance() {
        return maintenance;
    }

    /** The saturation the weight follows, set once the server it reads has started; {@code null} for none. */
    public void saturation(Saturation saturation) {
        this.saturation = saturation;
    }

    /** The answer the agent gives now, as a line (what a connection would read); not counted as an answer. */
    public String currentLine() {
        return line(false);
    }

    private String line(boolean answered) {
        AgentAnswer answer = AgentAnswer.of(registry.state(), maintenance);
        int w = -1;
        if (answer == AgentAnswer.UP) {
            Saturation s = saturation;
            w = weight.percent(s == null ? Double.NaN : s.value(), ticker.nanoTime());
        }
        if (answered) {
            answers.get(answer).increment();
            lastWeight.set(answer == AgentAnswer.UP ? w : 0);
        }
        return answer.line(w);
    }

    /** Answers given so far, by answer. */
    public long answers(AgentAnswer answer) {
        return answers.get(answer).sum();
    }

    /** Requests read so far, by how their line arrived. */
    public long requests(RequestKind kind) {
        return requests.get(kind).sum();
    }

    /** The weight in the last answer: its percent for {@code up}, 0 for any other answer, -1 before the first. */
    public int lastWeight() {
        return lastWeight.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("HAProxy agent: accept failed: {}", e.toString());
                    pause(); // a lasting failure (no file descriptors left) must not spin a core
                }
                continue;
            }
            try {
                workers.execute(() -> serve(s, true));
            } catch (RejectedExecutionException busy) {
                serve(s, false);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(Socket s, boolean read) {
        try (s) {
            s.setTcpNoDelay(true);
            RequestKind kind = read ? readRequest(s) : RequestKind.UNREAD;
            requests.get(kind).increment();
            OutputStream out = s.getOutputStream();
            out.write(line(true).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.shutdownOutput();
        } catch (IOException e) {
            log.debug("HAProxy agent: connection failed: {}", e.toString());
        }
    }

    /** Reads the optional request line, bounded in bytes and time; never more than one line. */
    RequestKind readRequest(Socket s) throws IOException {
        long deadline = System.nanoTime() + settings.readTimeout().toNanos();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[AgentSettings.MAX_REQUEST_BYTES];
        int n = 0;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return n == 0 ? RequestKind.NONE : RequestKind.INVALID;
            }
            s.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            int r;
            try {
                r = in.read(buf, n, buf.length - n);
            } catch (SocketTimeoutException e) {
                return n == 0 ? RequestKind.NONE : RequestKind.INVALID;
            } catch (SocketException e) {
                return RequestKind.INVALID;
            }
            if (r < 0) {
                return n == 0 ? RequestKind.NONE : classify(buf, n, n);
            }
            for (int i = n; i < n + r; i++) {
                if (buf[i] == '\n' || buf[i] == 0) {
                    return classify(buf, i, n + r);
                }
            }
            n += r;
            if (n >= buf.length) {
                return RequestKind.INVALID;
            }
        }
    }

    /** A line of printable ASCII (a CR before the newline allowed), ended at {@code end}, nothing after it. */
    private static RequestKind classify(byte[] buf, int end, int read) {
        if (read > end + 1) {
            return RequestKind.INVALID;
        }
        int last = end > 0 && buf[end - 1] == '\r' ? end - 1 : end;
        for (int i = 0; i < last; i++) {
            if (buf[i] < 0x20 || buf[i] > 0x7e) {
                if (buf[i] != '\t') {
                    return RequestKind.INVALID;
                }
            }
        }
        return RequestKind.LINE;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            workers.shutdownNow();
            acceptor.interrupt();
        }
    }

    /** Builds and starts an {@link AgentServer}. */
    public static final class Builder {
        private final HealthRegistry registry;
        private AgentSettings settings = AgentSettings.defaults();
        private Saturation saturation;
        private Ticker ticker = Ticker.system();

        private Builder(HealthRegistry registry) {
            this.registry = registry;
        }

        public Builder settings(AgentSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The saturation the weight follows; none leaves the weight to the slow start. */
        public Builder saturation(Saturation saturation) {
            this.saturation = saturation;
            return this;
        }

        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Binds and starts answering.
         *
         * @throws UncheckedIOException when the port cannot be bound
         */
        public AgentServer start() {
            try {
                return new AgentServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("HAProxy agent: cannot listen on " + settings.host() + ":"
                        + settings.port(), e);
            }
        }
    }
}
