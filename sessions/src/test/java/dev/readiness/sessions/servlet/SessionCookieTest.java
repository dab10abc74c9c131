package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SessionIds;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading the session id from raw Cookie headers: what browsers send, and what a hostile client might. */
class SessionCookieTest {

    private static final String ID = new SessionIds().next();
    private static final String OTHER = new SessionIds().next();

    private static String read(String... headers) {
        return SessionRequest.sessionCookie(Collections.enumeration(List.of(headers)), "SESSION");
    }

    @Test
    void theSessionCookieIsFoundAmongOthersInAnyHeader() {
        assertThat(read("SESSION=" + ID)).isEqualTo(ID);
        assertThat(read("a=1; SESSION=" + ID + "; b=2")).isEqualTo(ID);
        assertThat(read("theme=dark", "lang=en;SESSION=" + ID)).isEqualTo(ID);
        assertThat(read("  SESSION = " + ID + " ;")).isEqualTo(ID);
        assertThat(read("a=1;\tSESSION=\"" + ID + "\"")).isEqualTo(ID);
    }

    @Test
    void theFirstWellFormedValueWinsAndMalformedOnesAreSkipped() {
        assertThat(read("SESSION=" + ID + "; SESSION=" + OTHER)).isEqualTo(ID);
        assertThat(read("SESSION=forged; SESSION=" + OTHER)).isEqualTo(OTHER);
        assertThat(read("SESSION=" + ID.substring(1) + "!", "SESSION=" + OTHER)).isEqualTo(OTHER);
    }

    @Test
    void otherNamesAndHostileValuesYieldNoId() {
        assertThat(read()).isNull();
        assertThat(SessionRequest.sessionCookie(null, "SESSION")).isNull();
        assertThat(read("", ";", "=", ";;=;", "SESSION", "SESSION=", "SESSION;" + ID)).isNull();
        assertThat(read("XSESSION=" + ID, "SESSIONX=" + ID, "session=" + ID, "SES SION=" + ID)).isNull();
        assertThat(read("SESSION=" + ID + "x", "SESSION=\"" + ID, "SESSION=" + ID.substring(0, 25) + "\r\n"
                + "SESSION=" + ID.replace(ID.charAt(3), '{'))).isNull();
        assertThat(read("SESSION=" + "a".repeat(100_000), "a".repeat(100_000))).isNull();
        assertThat(read("=" + ID, "SESSION==" + ID)).isNull();
    }
}
