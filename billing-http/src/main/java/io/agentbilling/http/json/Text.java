package io.agentbilling.http.json;

/**
 * The rule for text a request may carry (body strings, query parameters): anything Unicode can say except what
 * cannot be stored and given back exactly. PostgreSQL's {@code text} cannot hold U+0000, and a lone UTF-16
 * surrogate has no UTF-8 encoding (it would be stored as {@code ?}, so an idempotency key would no longer match
 * itself). Both are refused with 400 naming the field, rather than failing in the database or changing on the way.
 * Stateless.
 */
public final class Text {
    private Text() {
    }

    /** What is wrong with {@code value}, or {@code null} when it may be stored as it is. */
    public static String problem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                return "must not contain NUL (U+0000) characters";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must be valid Unicode text (it holds an unpaired surrogate)";
            }
        }
        return null;
    }
}
