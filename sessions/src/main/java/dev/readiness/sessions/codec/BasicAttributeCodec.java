package dev.readiness.sessions.codec;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The default codec: a small tagged binary format for String, Boolean, Byte, Short, Integer, Long, Float,
 * Double, Character, byte[], BigInteger, BigDecimal, UUID, Instant, and Lists, Sets and Maps of those (nested
 * up to {@value #MAX_DEPTH} levels). Decoding never instantiates a class named by the stored bytes, so a
 * tampered Redis cannot run code in the application. Lists come back as {@link ArrayList}, Sets as
 * {@link LinkedHashSet}, Maps as {@link LinkedHashMap}.
 */
public final class BasicAttributeCodec implements AttributeCodec {

    static final int MAX_DEPTH = 16;
    private static final byte VERSION = 1;

    @Override
    public String name() {
        return "basic";
    }

    @Override
    public byte[] encode(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            write(out, value, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(DataOutputStream out, Object v, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("the basic session codec nests at most " + MAX_DEPTH + " levels");
        }
        if (v == null) {
            out.writeByte('N');
        } else if (v instanceof String s) {
            int bad = unpairedSurrogate(s);
            if (bad >= 0) {
                // UTF-8 has no form for it: String.getBytes would store '?' and the value would come back changed.
                throw new IllegalArgumentException("the basic session codec cannot store a String with an unpaired"
                        + " surrogate (char " + bad + ", U+" + Integer.toHexString(s.charAt(bad)).toUpperCase()
                        + "): it is not Unicode text, and would not read back as it was");
            }
            out.writeByte('S');
            writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
        } else if (v instanceof Boolean b) {
            out.writeByte('Z');
            out.writeBoolean(b);
        } else if (v instanceof Integer i) {
            out.writeByte('I');
            out.writeInt(i);
        } else if (v instanceof Long l) {
            out.writeByte('J');
            out.writeLong(l);
        } else if (v instanceof Double d) {
            out.writeByte('D');
            out.writeDouble(d);
        } else if (v instanceof Float f) {
            out.writeByte('F');
            out.writeFloat(f);
        } else if (v instanceof Short s) {
            out.writeByte('H');
            out.writeShort(s);
        } else if (v instanceof Byte b) {
            out.writeByte('B');
            out.writeByte(b);
        } else if (v instanceof Character c) {
            out.writeByte('C');
            out.writeChar(c);
        } else if (v instanceof byte[] b) {
            out.writeByte('b');
            writeBytes(out, b);
        } else if (v instanceof BigInteger b) {
            out.writeByte('i');
            writeBytes(out, b.toByteArray());
        } else if (v instanceof BigDecimal b) {
            out.writeByte('d');
            writeBytes(out, b.toString().getBytes(StandardCharsets.US_ASCII));
        } else if (v instanceof UUID u) {
            out.writeByte('u');
            out.writeLong(u.getMostSignificantBits());
            out.writeLong(u.getLeastSignificantBits());
        } else if (v instanceof Instant t) {
            out.writeByte('t');
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        } else if (v instanceof List<?> l) {
            out.writeByte('L');
            writeAll(out, l, depth);
        } else if (v instanceof Set<?> s) {
            out.writeByte('E');
            writeAll(out, s, depth);
        } else if (v instanceof Map<?, ?> m) {
            out.writeByte('M');
            out.writeInt(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                write(out, e.getKey(), depth + 1);
                write(out, e.getValue(), depth + 1);
            }
        } else {
            throw new IllegalArgumentException("the basic session codec cannot store " + v.getClass().getName()
                    + ": use String, numbers, Boolean, UUID, Instant, byte[] and Lists/Sets/Maps of them,"
                    + " or set readiness.sessions.codec=json|jdk with readiness.sessions.allowlist");
        }
    }

    /** The index of the first char of {@code s} that is half of no surrogate pair, or -1. */
    public static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static void writeAll(DataOutputStream out, Collection<?> c, int depth) throws IOException {
        out.writeInt(c.size());
        for (Object o : c) {
            write(out, o, depth + 1);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    @Override
    public Object decode(byte[] bytes) throws AttributeDecodeException {
        if (bytes == null || bytes.length < 2) {
            throw new AttributeDecodeException("empty or truncated value");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version != VERSION) {
            throw new AttributeDecodeException("unknown basic codec version " + version);
        }
        try {
            Object v = read(in, 0);
            if (in.hasRemaining()) {
                throw new AttributeDecodeException(in.remaining() + " trailing bytes");
            }
            return v;
        } catch (RuntimeException e) { // underflow, bad number, instant out of range: all corrupt input
            throw new AttributeDecodeException("corrupt value: " + e, e);
        }
    }

    private static Object read(ByteBuffer in, int depth) throws AttributeDecodeException {
        if (depth > MAX_DEPTH) {
            throw new AttributeRefusedException("too-deep", "nested deeper than " + MAX_DEPTH, null);
        }
        byte tag = in.get();
        switch (tag) {
            case 'N': return null;
            case 'S': return new String(readBytes(in), StandardCharsets.UTF_8);
            case 'Z': return in.get() != 0;
            case 'I': return in.getInt();
            case 'J': return in.getLong();
            case 'D': return in.getDouble();
            case 'F': return in.getFloat();
            case 'H': return in.getShort();
            case 'B': return in.get();
            case 'C': return in.getChar();
            case 'b': return readBytes(in);
            case 'i': return new BigInteger(readBytes(in));
            case 'd': return new BigDecimal(new String(readBytes(in), StandardCharsets.US_ASCII));
            case 'u': return new UUID(in.getLong(), in.getLong());
            case 't': return Instant.ofEpochSecond(in.getLong(), in.getInt());
            case 'L': {
                int n = count(in);
                List<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(read(in, depth + 1));
                }
                return l;
            }
            case 'E': {
                int n = count(in);
                Set<Object> s = new LinkedHashSet<>();
                for (int i = 0; i < n; i++) {
                    s.add(read(in, depth + 1));
                }
                return s;
            }
            case 'M': {
                int n = count(in);
                Map<Object, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    m.put(read(in, depth + 1), read(in, depth + 1));
                }
                return m;
            }
            default:
                throw new AttributeDecodeException("unknown type tag " + (tag & 0xff));
        }
    }

    /** An element count no larger than the bytes left (each element takes at least one byte). */
    private static int count(ByteBuffer in) throws AttributeDecodeException {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new AttributeDecodeException("corrupt element count " + n);
        }
        return n;
    }

    private static byte[] readBytes(ByteBuffer in) throws AttributeDecodeException {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new AttributeDecodeException("corrupt length " + n);
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }
}
