package dev.readiness.sessions.codec;

/**
 * Stored bytes the codec refuses to read, rather than cannot: they name a class the allow-list does not admit
 * (at any depth, inside an allowed container too) or nest deeper than the codec's bound. The attribute is dropped
 * as any undecodable one is, and the refusal is counted by its {@link #reason()}.
 */
public class AttributeRefusedException extends AttributeDecodeException {

    private final String reason;

    /** @param reason {@code class-not-allowed} or {@code too-deep} */
    public AttributeRefusedException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** {@code class-not-allowed} or {@code too-deep}. */
    public String reason() {
        return reason;
    }
}
