package io.agentbilling.stripe.fake;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One API request as the {@link FakeStripeServer} received it.
 *
 * @param params         the form body of a POST (or the query of a GET), decoded, with Stripe's flattened keys as
 *                       they are on the wire: {@code metadata[org_id]}, {@code line_items[0][price_data][unit_amount]}
 * @param idempotencyKey the {@code Idempotency-Key} header, null when absent
 * @param headers        all headers, names in lower case
 * @param status         the status the fake answered with
 * @param replayed       true when the answer was a stored one replayed for a repeated idempotency key
 */
public record RecordedRequest(String method, String path, String rawQuery, Map<String, String> params,
                              String idempotencyKey, Map<String, List<String>> headers, int status,
                              boolean replayed) {
    public RecordedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        params = Map.copyOf(params);
        headers = Map.copyOf(headers);
    }

    public String param(String key) {
        return params.get(key);
    }

    /** The entries of a nested hash, e.g. {@code subParams("payment_intent_data[metadata]")}. */
    public Map<String, String> subParams(String prefix) {
        return FormCodec.subMap(params, prefix);
    }

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public String toString() {
        return method + " " + path + (rawQuery == null ? "" : "?" + rawQuery) + " -> " + status
                + (replayed ? " (replayed)" : "") + " key=" + idempotencyKey + " " + new TreeMap<>(params);
    }
}
