package dev.readiness.sessions;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionIdsTest {

    final SessionIds ids = new SessionIds();

    @Test
    void idsAreUrlSafeOfFixedLengthAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = ids.next();
            assertThat(id).hasSize(SessionIds.LENGTH).matches("[A-Za-z0-9_-]+");
            assertThat(SessionIds.isWellFormed(id)).isTrue();
            assertThat(seen.add(id)).isTrue();
        }
    }

    @Test
    void aRotatedIdKeepsTheSlotTagAndDrawsAFreshBody() {
        String id = ids.next();
        String rotated = ids.rotate(id);
        assertThat(rotated).startsWith(id.substring(0, SessionIds.TAG_LENGTH)).isNotEqualTo(id);
        assertThat(rotated.substring(SessionIds.TAG_LENGTH)).isNotEqualTo(id.substring(SessionIds.TAG_LENGTH));
        assertThat(SessionIds.isWellFormed(rotated)).isTrue();
        String key = SessionIds.key("p:", id);
        assertThat(SessionIds.key("p:", rotated)).startsWith(key.substring(0, key.indexOf('}') + 1));
    }

    @Test
    void hostileValuesAreNotWellFormed() {
        for (String bad : new String[] {null, "", "a", "x".repeat(25), "x".repeat(27), "aaaa{bbbbbbbbbbbbbbbbbbbbb",
                "aaaa bbbbbbbbbbbbbbbbbbbbb", "aaaa\r\nbbbbbbbbbbbbbbbbbbbb", "aaaa+bbbbbbbbbbbbbbbbbbbbb",
                "aaaa/bbbbbbbbbbbbbbbbbbbbb", "ääääbbbbbbbbbbbbbbbbbbbbbb"}) {
            assertThat(SessionIds.isWellFormed(bad)).as(String.valueOf(bad)).isFalse();
        }
        assertThatThrownBy(() -> ids.rotate("bad")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exactlyTheUrlSafeBase64AlphabetIsAcceptedAtEveryPosition() {
        java.util.regex.Pattern alphabet = java.util.regex.Pattern.compile("[A-Za-z0-9_-]");
        String valid = ids.next();
        for (char c = 0; c < 0x3000; c++) {
            for (int pos : new int[] {0, SessionIds.TAG_LENGTH, SessionIds.LENGTH - 1}) {
                String id = valid.substring(0, pos) + c + valid.substring(pos + 1);
                assertThat(SessionIds.isWellFormed(id)).as("U+%04X at %d", (int) c, pos)
                        .isEqualTo(alphabet.matcher(String.valueOf(c)).matches());
            }
        }
    }

    @Test
    void onlyTheTagIsEverLogged() {
        String id = ids.next();
        assertThat(SessionIds.loggable(id)).isEqualTo(id.substring(0, 4) + "...");
        assertThat(SessionIds.loggable(null)).isEqualTo("?");
    }
}
