package dev.readiness.testkit.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The driver's bookkeeping against real in-process services behind a real {@link WeightedProxy}: two instances
 * sharing one correct store count nothing, and each deliberate fault is counted as what it is.
 */
@Timeout(60)
class CutOverUsersTest {

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private static CutOverUsers.Settings settings() {
        return new CutOverUsers.Settings(4, 20, Duration.ofMillis(100), 3, 15, 5, Duration.ofSeconds(3), 10_000,
                Duration.ofSeconds(5), 7);
    }

    /** Two instances of {@code fault} over one store, 50/50 behind a proxy; runs the users and returns the totals. */
    private CutOverUsers.Totals run(SessionBackend.Fault fault) throws Exception {
        Map<String, SessionBackend.State> store = SessionBackend.newStore();
        WeightedProxy proxy = closed(new WeightedProxy(WeightedProxy.Settings.defaults()));
        proxy.add("a", closed(new SessionBackend(store, fault)).port(), 50);
        proxy.add("b", closed(new SessionBackend(store, fault)).port(), 50);
        CutOverUsers users = closed(new CutOverUsers(proxy.port(), settings()));
        CutOverUsers.Totals totals = users.start().await(Duration.ofSeconds(30));
        System.out.println(fault + ": " + totals);
        assertThat(totals.requests()).isGreaterThan(100);
        assertThat(totals.racingPairs()).isPositive();
        assertThat(totals.sessions()).isGreaterThan(4); // logouts happened, each followed by a fresh session
        return totals;
    }

    private <T extends AutoCloseable> T closed(T c) throws IOException {
        closing.add(c);
        return c;
    }

    @Test
    void aCorrectServiceCountsNothing() throws Exception {
        CutOverUsers.Totals t = run(SessionBackend.Fault.NONE);
        assertThat(t.clean()).as("%s", t).isTrue();
        assertThat(t.samples()).isEmpty();
        assertThat(t.failures()).isEmpty();
        assertThat(t.racingSplit()).isPositive();
    }

    @Test
    void aStaleCounterIsCounted() throws Exception {
        CutOverUsers.Totals t = run(SessionBackend.Fault.STALE_COUNTER);
        assertThat(t.stale()).isPositive();
        assertThat(t.samples()).anyMatch(s -> s.contains("stale:") && s.contains("expected"));
        assertThat(t.failed()).isZero();
        assertThat(t.lostItems()).isZero();
    }

    @Test
    void droppedListItemsAreLost() throws Exception {
        CutOverUsers.Totals t = run(SessionBackend.Fault.DROP_ITEMS);
        assertThat(t.lostItems()).isPositive();
        assertThat(t.samples()).anyMatch(s -> s.contains("lost:"));
        assertThat(t.resurrected()).isZero();
    }

    @Test
    void aSessionThatOutlivesItsLogoutIsResurrected() throws Exception {
        CutOverUsers.Totals t = run(SessionBackend.Fault.KEEP_ON_LOGOUT);
        assertThat(t.resurrected()).isPositive();
        assertThat(t.samples()).anyMatch(s -> s.contains("resurrected:") && s.contains("its old cookie read"));
        assertThat(t.stale()).isZero();
    }

    @Test
    void aLastWriterWinsSaveLosesOneChangeOfARacingPair() throws Exception {
        CutOverUsers.Totals t = run(SessionBackend.Fault.LAST_WRITER_WINS);
        assertThat(t.racingLost()).isPositive();
        assertThat(t.samples()).anyMatch(s -> s.contains("racing-lost:"));
    }

    @Test
    void endpointsThatAreMissingAreFailedRequests() throws Exception {
        CutOverUsers.Totals t = run(SessionBackend.Fault.NO_LIST);
        assertThat(t.failed()).isPositive();
        assertThat(t.samples()).anyMatch(s -> s.contains("/session/list/add?item=") && s.contains("404"));
        assertThat(t.failures()).containsOnlyKeys("404 a /session/list/add", "404 b /session/list/add",
                "404 a /session/list", "404 b /session/list");
        assertThat(t.failures().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(t.failed());
        assertThat(t.clean()).isFalse();
    }

    @Test
    void settingsNameTheBadValueAndProblemsFitOnALine() {
        assertThatThrownBy(() -> new CutOverUsers.Settings(0, 4, Duration.ZERO, 3, 0, 0, Duration.ofSeconds(1), 10,
                Duration.ofSeconds(1), 1)).hasMessage("users must be 1..1000, was 0");
        assertThat(CutOverUsers.missing(List.of("a", "x", "b", "c"), List.of("a", "b", "c"))).isZero();
        assertThat(CutOverUsers.missing(List.of("b", "a"), List.of("a", "b"))).isEqualTo(1);
        assertThat(CutOverUsers.missing(List.of(), List.of("a", "b"))).isEqualTo(2);
        assertThat(CutOverUsers.gist("<html>\n<head><title>Error 500 java.lang.IllegalStateException: x</title>"))
                .isEqualTo("Error 500 java.lang.IllegalStateException: x");
    }
}
