package dev.readiness.sessions;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Session ids: 26 URL-safe characters. The first {@value #TAG_LENGTH} are a slot tag (18 random bits) that
 * decides the Redis Cluster hash slot; the other 22 carry 128 fresh bits from {@link SecureRandom}. A rotated
 * id keeps the tag and draws a new body, so the old and the new key sit in one hash slot and a rotation is one
 * atomic script even on a cluster, while the new id still holds 128 bits nobody has seen.
 */
public final class SessionIds {

    /** Length of the slot tag at the start of an id. */
    public static final int TAG_LENGTH = 4;
    /** Length of an id. */
    public static final int LENGTH = TAG_LENGTH + 22;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random;

    public SessionIds() {
        this(new SecureRandom());
    }

    SessionIds(SecureRandom random) {
        this.random = random;
    }

    /** A new id with a new tag. */
    public String next() {
        byte[] b = new byte[19];
        random.nextBytes(b);
        return ENCODER.encodeToString(b).substring(0, LENGTH);
    }

    /** A new id in the same hash slot as {@code id}: same tag, fresh 128-bit body. */
    public String rotate(String id) {
        if (!isWellFormed(id)) {
            throw new IllegalArgumentException("not a session id");
        }
        byte[] b = new byte[16];
        random.nextBytes(b);
        return id.substring(0, TAG_LENGTH) + ENCODER.encodeToString(b);
    }

    /** Whether {@code id} could have come from this class (anything else is never sent to Redis). */
    public static boolean isWellFormed(String id) {
        // Runs on every request: a loop over 26 chars instead of a regex match (a Matcher per call).
        if (id == null || id.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** The Redis key of a session: {@code prefix + "{" + tag + "}" + body}. */
    public static String key(String prefix, String id) {
        return new StringBuilder(prefix.length() + LENGTH + 2).append(prefix).append('{')
                .append(id, 0, TAG_LENGTH).append('}').append(id, TAG_LENGTH, id.length()).toString();
    }

    /** The tag only, safe to log (it is not enough to use the session). */
    public static String loggable(String id) {
        return id == null || id.length() < TAG_LENGTH ? "?" : id.substring(0, TAG_LENGTH) + "...";
    }
}
