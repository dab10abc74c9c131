package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SessionIds;
import dev.readiness.testkit.fuzz.Fuzz;
import dev.readiness.testkit.fuzz.Gen;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based: the session cookie is read from raw {@code Cookie} headers a client controls. Nothing it sends
 * makes the reader throw (a malformed or hostile value is no id: the request gets a new session), and the id of a
 * well-formed cookie is always found among any others.
 */
class SessionCookieFuzzTest {

    private static final SessionIds ids = new SessionIds();

    private static String read(List<String> headers) {
        return SessionRequest.sessionCookie(Collections.enumeration(headers), "SESSION");
    }

    @Test
    void anyHeadersYieldNoIdOrAWellFormedIdThatTheyContain() {
        Fuzz.forAll(2000, headers(), headers -> {
            String id = read(headers);
            if (id != null) {
                assertThat(SessionIds.isWellFormed(id)).isTrue();
                assertThat(String.join("\n", headers)).contains(id);
            }
        });
    }

    /** The other cookies before and after the session cookie, the blanks around its parts, and whether it is quoted. */
    private record Surroundings(List<String> before, List<String> after, String blank, boolean quoted) {
    }

    @Test
    void aWellFormedSessionCookieIsFoundAmongAnyOtherCookies() {
        Gen<Surroundings> surroundings = Gen.combine(otherCookies(), otherCookies(), blanks(), Gen.of(true, false),
                Surroundings::new);
        Fuzz.forAll(1000, surroundings, c -> {
            String id = ids.next();
            List<String> pairs = new ArrayList<>(c.before());
            String blank = c.blank();
            pairs.add(blank + "SESSION" + blank + "=" + blank + (c.quoted() ? "\"" + id + "\"" : id) + blank);
            pairs.addAll(c.after());
            assertThat(read(List.of(String.join(";", pairs)))).isEqualTo(id);
        });
    }

    private static Gen<List<String>> headers() {
        Gen<String> hostile = Gen.strings().all().ofMaxLength(80);
        Gen<String> cookieLike = Gen.strings().withChars("SESION=;\" \t,a-_\r\n\u0000é").ofMaxLength(60);
        Gen<String> nearId = Gen.strings().withChars("SESION=;\" ").ofMaxLength(12)
                .map(p -> p + ids.next());
        return Gen.oneOf(hostile, cookieLike, nearId, Gen.just((String) null)).list().ofMaxSize(4);
    }

    private static Gen<List<String>> otherCookies() {
        // Names that are not SESSION; values anything but ';' (which ends a cookie).
        Gen<String> name = Gen.strings().withChars("abcXYZ_-").ofMinLength(1).ofMaxLength(10);
        Gen<String> value = Gen.strings().all().ofMaxLength(30).map(v -> v.replace(";", ""));
        return Gen.combine(name, value, (n, v) -> n + "=" + v).list().ofMaxSize(5);
    }

    private static Gen<String> blanks() {
        return Gen.strings().withChars(" \t").ofMaxLength(3);
    }
}
