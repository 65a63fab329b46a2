package io.agentbilling.stripe.fake;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Decodes Stripe's application/x-www-form-urlencoded bodies, keeping the flattened bracket keys. */
public final class FormCodec {
    private FormCodec() {}

    public static Map<String, String> decode(String form) {
        Map<String, String> params = new LinkedHashMap<>();
        if (form == null || form.isEmpty()) {
            return params;
        }
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }

    /** {@code subMap(params, "metadata")} turns {@code metadata[org_id]=x} into {@code {org_id=x}}. */
    public static Map<String, String> subMap(Map<String, String> params, String prefix) {
        Map<String, String> nested = new LinkedHashMap<>();
        String open = prefix + "[";
        params.forEach((key, value) -> {
            if (key.startsWith(open)) {
                String rest = key.substring(open.length());
                if (rest.indexOf(']') == rest.length() - 1) {
                    nested.put(rest.substring(0, rest.length() - 1), value);
                }
            }
        });
        return nested;
    }
}
