package dev.readiness.sessions;

import dev.readiness.testkit.fuzz.Fuzz;
import dev.readiness.testkit.fuzz.Gen;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Property-based: a session id comes from a cookie a client controls. {@link SessionIds#isWellFormed} decides for
 * any string without throwing, exactly as the documented alphabet says; only ids it accepts are ever made keys,
 * and {@link SessionIds#rotate} refuses anything else with its documented IllegalArgumentException.
 */
class SessionIdsFuzzTest {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{26}");
    private static final SessionIds ids = new SessionIds();

    @Test
    void anyStringIsWellFormedExactlyWhenItIs26UrlSafeCharacters() {
        Fuzz.forAll(3000, Gen.strings(), s -> {
            assertThat(SessionIds.isWellFormed(s)).isEqualTo(ID.matcher(s).matches());
        });
    }

    @Test
    void rotateRefusesAnythingNotWellFormedWithItsOwnErrorOnly() {
        Fuzz.forAll(1000, Gen.strings(), s -> {
            if (SessionIds.isWellFormed(s)) {
                String next = ids.rotate(s);
                assertThat(SessionIds.isWellFormed(next)).isTrue();
                assertThat(next).startsWith(s.substring(0, SessionIds.TAG_LENGTH));
            } else {
                assertThatThrownBy(() -> ids.rotate(s)).isExactlyInstanceOf(IllegalArgumentException.class);
            }
            assertThat(SessionIds.loggable(s)).hasSizeLessThanOrEqualTo(SessionIds.TAG_LENGTH + 3);
        });
    }

    @Test
    void generatedIdsAreWellFormedAndTheirKeysHoldTheTagInBraces() {
        Fuzz.forAll(500, prefix(), prefix -> {
            String id = ids.next();
            assertThat(SessionIds.isWellFormed(id)).isTrue();
            assertThat(SessionIds.key(prefix, id)).isEqualTo(prefix + "{" + id.substring(0, 4) + "}" + id.substring(4));
        });
    }

    private static Gen<String> prefix() {
        return Gen.strings().alpha().ofMaxLength(10);
    }
}
