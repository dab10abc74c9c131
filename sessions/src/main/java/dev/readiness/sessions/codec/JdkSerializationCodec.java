package dev.readiness.sessions.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * JDK serialization behind an {@link ObjectInputFilter}: only {@code java.lang}, {@code java.util},
 * {@code java.time}, {@code java.math} and the classes matched by the user's allowlist are ever instantiated;
 * everything else is rejected before its constructor or {@code readObject} runs. The filter sees every class in the
 * stream, so a class the allowlist does not admit is refused inside an allowed container too (an
 * {@code ArrayList} or {@code HashMap} holding it, an array of it, a field of an allowed class), as is a graph
 * nested deeper than {@value #MAX_DEPTH}: both as an {@link AttributeRefusedException}. A class whose
 * {@code serialVersionUID} changed fails to decode and is dropped, not a 500.
 */
public final class JdkSerializationCodec implements AttributeCodec {

    static final int MAX_DEPTH = 32;
    private static final String BUILT_IN = "java.lang.*;java.util.*;java.time.*;java.math.*";

    private final ObjectInputFilter filter;

    /** @param allowlist the application's own classes that may be read back */
    public JdkSerializationCodec(ClassAllowlist allowlist) {
        StringBuilder pattern = new StringBuilder("maxdepth=" + MAX_DEPTH + ";maxrefs=100000;maxarray=1000000;").append(BUILT_IN);
        for (String p : allowlist.patterns()) {
            pattern.append(';').append(p);
        }
        pattern.append(";!*");
        this.filter = ObjectInputFilter.Config.createFilter(pattern.toString());
    }

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public byte[] encode(Object value) {
        if (!(value instanceof Serializable)) {
            throw new IllegalArgumentException(value.getClass().getName() + " is not Serializable");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("cannot serialize session attribute: " + e.getMessage()
                    + " is not Serializable", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize session attribute of type "
                    + value.getClass().getName() + ": " + e, e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object decode(byte[] bytes) throws AttributeDecodeException {
        String[] refused = new String[1]; // what the filter rejected, for the refusal's reason and message
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                ClassLoader tccl = Thread.currentThread().getContextClassLoader();
                if (tccl != null) {
                    try {
                        return Class.forName(desc.getName(), false, tccl);
                    } catch (ClassNotFoundException ignored) {
                        // fall back to the default resolution
                    }
                }
                return super.resolveClass(desc);
            }
        }) {
            in.setObjectInputFilter(info -> {
                ObjectInputFilter.Status s = filter.checkInput(info);
                if (s == ObjectInputFilter.Status.REJECTED && refused[0] == null) {
                    refused[0] = info.depth() > MAX_DEPTH ? "too-deep"
                            : info.serialClass() != null ? info.serialClass().getName() : "limits";
                }
                return s;
            });
            return in.readObject();
        } catch (InvalidClassException e) {
            if ("too-deep".equals(refused[0])) {
                throw new AttributeRefusedException("too-deep", "nested deeper than " + MAX_DEPTH, e);
            }
            if (refused[0] != null && !"limits".equals(refused[0])) {
                throw new AttributeRefusedException("class-not-allowed", "class " + refused[0]
                        + " rejected: not allowed by readiness.sessions.allowlist", e);
            }
            throw new AttributeDecodeException("class rejected or changed: " + e.getMessage(), e);
        } catch (ClassNotFoundException e) {
            throw new AttributeDecodeException("class not found: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new AttributeDecodeException("corrupt serialized value: " + e, e);
        }
    }
}
