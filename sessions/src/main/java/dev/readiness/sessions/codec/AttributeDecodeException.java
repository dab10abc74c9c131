package dev.readiness.sessions.codec;

/** Stored bytes that cannot become a value again. The attribute is dropped; the session lives on. */
public class AttributeDecodeException extends Exception {

    public AttributeDecodeException(String message) {
        super(message);
    }

    public AttributeDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
