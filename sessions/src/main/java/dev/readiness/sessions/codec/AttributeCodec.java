package dev.readiness.sessions.codec;

/** Turns attribute values into bytes and back. Implementations are thread-safe. */
public interface AttributeCodec {

    /**
     * @throws IllegalArgumentException when this codec cannot store {@code value}, naming its type
     */
    byte[] encode(Object value);

    /**
     * @throws AttributeDecodeException when the bytes are corrupt, name a class that is not allowed, or belong to a
     *                                  class that changed incompatibly
     */
    Object decode(byte[] bytes) throws AttributeDecodeException;

    /** Short name used in settings and logs: basic, json, jdk. */
    String name();
}
