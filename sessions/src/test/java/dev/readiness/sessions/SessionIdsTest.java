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
    void onlyTheTagIsEverLogged() {
        String id = ids.next();
        assertThat(SessionIds.loggable(id)).isEqualTo(id.substring(0, 4) + "...");
        assertThat(SessionIds.loggable(null)).isEqualTo("?");
    }
}
