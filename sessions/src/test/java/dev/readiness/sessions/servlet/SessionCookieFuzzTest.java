package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SessionIds;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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

    @Property(tries = 2000)
    void anyHeadersYieldNoIdOrAWellFormedIdThatTheyContain(@ForAll("headers") List<String> headers) {
        String id = read(headers);
        if (id != null) {
            assertThat(SessionIds.isWellFormed(id)).isTrue();
            assertThat(String.join("\n", headers)).contains(id);
        }
    }

    @Property(tries = 1000)
    void aWellFormedSessionCookieIsFoundAmongAnyOtherCookies(@ForAll("otherCookies") List<String> before,
                                                             @ForAll("otherCookies") List<String> after,
                                                             @ForAll("blanks") String blank, @ForAll boolean quoted) {
        String id = ids.next();
        List<String> pairs = new ArrayList<>(before);
        pairs.add(blank + "SESSION" + blank + "=" + blank + (quoted ? "\"" + id + "\"" : id) + blank);
        pairs.addAll(after);
        assertThat(read(List.of(String.join(";", pairs)))).isEqualTo(id);
    }

    @Provide
    Arbitrary<List<String>> headers() {
        Arbitrary<String> hostile = Arbitraries.strings().all().ofMaxLength(80);
        Arbitrary<String> cookieLike = Arbitraries.strings().withChars("SESION=;\" \t,a-_\r\n\u0000é").ofMaxLength(60);
        Arbitrary<String> nearId = Arbitraries.strings().withChars("SESION=;\" ").ofMaxLength(12)
                .map(p -> p + ids.next());
        return Arbitraries.oneOf(hostile, cookieLike, nearId, Arbitraries.just((String) null)).list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<String>> otherCookies() {
        // Names that are not SESSION; values anything but ';' (which ends a cookie).
        Arbitrary<String> name = Arbitraries.strings().withChars("abcXYZ_-").ofMinLength(1).ofMaxLength(10);
        Arbitrary<String> value = Arbitraries.strings().all().ofMaxLength(30).map(v -> v.replace(";", ""));
        return Combinators.combine(name, value).as((n, v) -> n + "=" + v).list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<String> blanks() {
        return Arbitraries.strings().withChars(" \t").ofMaxLength(3);
    }
}
