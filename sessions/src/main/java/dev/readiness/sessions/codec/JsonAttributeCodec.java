package dev.readiness.sessions.codec;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * JSON through Jackson 3 (an optional dependency): each value is stored as {@code {"t":"<class>","v":<json>}}
 * and read back only when {@code t} is a JDK value type or matched by the allowlist, so stored data can never
 * name an arbitrary class. Values nest at most {@value #MAX_DEPTH} levels: deeper JSON is refused on write, and on
 * read before a tree is built (a streaming pass counts the depth), so stored bytes cannot make the parser build,
 * or later code recurse through, an arbitrarily deep tree. Collections of the application's own types come back as Maps; store such
 * values as a typed holder class instead.
 */
public final class JsonAttributeCodec implements AttributeCodec {

    private static final Set<String> BUILT_IN = Set.of("java.lang.String", "java.lang.Integer", "java.lang.Long",
            "java.lang.Double", "java.lang.Boolean", "java.lang.Short", "java.lang.Byte", "java.lang.Float",
            "java.math.BigDecimal", "java.math.BigInteger", "java.util.UUID", "java.util.ArrayList",
            "java.util.LinkedHashMap", "java.util.HashMap", "java.util.LinkedHashSet", "java.util.HashSet");

    static final int MAX_DEPTH = 32;

    private final JsonMapper mapper;
    private final ClassAllowlist allowlist;

    public JsonAttributeCodec(ClassAllowlist allowlist) {
        this(JsonMapper.builder().build(), allowlist);
    }

    public JsonAttributeCodec(JsonMapper mapper, ClassAllowlist allowlist) {
        this.mapper = mapper;
        this.allowlist = allowlist;
    }

    @Override
    public String name() {
        return "json";
    }

    @Override
    public byte[] encode(Object value) {
        String type = value.getClass().getName();
        if (!allowed(type)) {
            throw new IllegalArgumentException(type + " is not in readiness.sessions.allowlist, so it could not be"
                    + " read back; add it (or its package) to the allowlist");
        }
        try {
            ObjectNode node = mapper.createObjectNode();
            node.put("t", type);
            node.set("v", mapper.valueToTree(value));
            byte[] bytes = mapper.writeValueAsBytes(node);
            if (depth(bytes) > MAX_DEPTH + 1) {
                throw new IllegalArgumentException(type + " nests deeper than " + MAX_DEPTH
                        + " levels as JSON, more than the json session codec reads back");
            }
            return bytes;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot write " + type + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public Object decode(byte[] bytes) throws AttributeDecodeException {
        JsonNode node;
        try {
            int depth = depth(bytes);
            if (depth > MAX_DEPTH + 1) {
                throw new AttributeRefusedException("too-deep", "nested deeper than " + MAX_DEPTH, null);
            }
            node = mapper.readTree(bytes);
        } catch (JacksonException e) {
            throw new AttributeDecodeException("corrupt JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject() || !node.path("t").isString() || !node.has("v")) {
            throw new AttributeDecodeException("not a stored session attribute");
        }
        String type = node.get("t").asString();
        if (!allowed(type)) {
            throw new AttributeDecodeException("class " + type + " is not allowed by readiness.sessions.allowlist");
        }
        try {
            ClassLoader tccl = Thread.currentThread().getContextClassLoader();
            Class<?> cls = Class.forName(type, false, tccl != null ? tccl : getClass().getClassLoader());
            return mapper.treeToValue(node.get("v"), cls);
        } catch (ClassNotFoundException e) {
            throw new AttributeDecodeException("class not found: " + type, e);
        } catch (JacksonException e) {
            throw new AttributeDecodeException("stored JSON no longer fits " + type + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * How deep the JSON nests, by one streaming pass that stops at the first level over the bound (the wrapper
     * object is level 1).
     */
    private int depth(byte[] bytes) {
        int depth = 0;
        int deepest = 0;
        try (JsonParser p = mapper.createParser(bytes)) {
            for (JsonToken t = p.nextToken(); t != null && deepest <= MAX_DEPTH + 1; t = p.nextToken()) {
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    deepest = Math.max(deepest, ++depth);
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                }
            }
        }
        return deepest;
    }

    private boolean allowed(String type) {
        return BUILT_IN.contains(type) || allowlist.allows(type);
    }
}
