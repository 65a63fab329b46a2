package io.agentbilling.http.json;

import java.util.Locale;

/** Content-type checks shared by the body parser and the route guard. */
public final class MediaTypes {
    public static final String JSON = "application/json";
    public static final String JSON_UTF8 = "application/json; charset=utf-8";

    private MediaTypes() {
    }

    /**
     * True for {@code application/json}, with no parameter or with {@code charset=utf-8} (JSON is UTF-8 by RFC 8259;
     * a body declared in another charset is refused rather than misread).
     */
    public static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase(JSON)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("charset=")) {
                String charset = parameter.substring("charset=".length()).replace("\"", "").trim();
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    return false;
                }
            }
        }
        return true;
    }
}
