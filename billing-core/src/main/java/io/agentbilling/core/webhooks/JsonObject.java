package io.agentbilling.core.webhooks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON object written by the core itself (it has no JSON library): keys in insertion order, values that are text,
 * whole numbers, booleans, null or nested objects. Enough for event payloads, whose bytes must be the same on every
 * delivery (they are signed). Not thread-safe.
 */
public final class JsonObject {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public JsonObject put(String key, String value) {
        fields.put(key, value);
        return this;
    }

    public JsonObject put(String key, long value) {
        fields.put(key, value);
        return this;
    }

    public JsonObject put(String key, Long value) {
        fields.put(key, value);
        return this;
    }

    public JsonObject put(String key, boolean value) {
        fields.put(key, value);
        return this;
    }

    public JsonObject put(String key, JsonObject value) {
        fields.put(key, value);
        return this;
    }

    /** A value written with {@code String.valueOf}, quoted (ids, instants, dates), or null. */
    public JsonObject putText(String key, Object value) {
        fields.put(key, value == null ? null : String.valueOf(value));
        return this;
    }

    public String toJson() {
        StringBuilder out = new StringBuilder();
        write(out);
        return out.toString();
    }

    private void write(StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            quote(out, field.getKey());
            out.append(':');
            Object value = field.getValue();
            if (value == null) {
                out.append("null");
            } else if (value instanceof String text) {
                quote(out, text);
            } else if (value instanceof JsonObject object) {
                object.write(out);
            } else {
                out.append(value); // Long, Boolean
            }
        }
        out.append('}');
    }

    private static void quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return toJson();
    }
}
