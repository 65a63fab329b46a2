package io.agentbilling.http.routes.internal;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.usecase.CheckCredit;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.json.Json;
import java.util.UUID;

/** Shorthands for the internal API's tests: JSON bodies, keys, the ledger's own view of an org. */
final class InternalApi {
    private InternalApi() {
    }

    static Credits balance(TestApplication app, OrgId org) {
        return app.app.billing().checkCredit().execute(new CheckCredit.Command(org, null)).balance();
    }

    static String key() {
        return "key-" + UUID.randomUUID();
    }

    /** A JSON object from alternating names and values; values are written as JSON (strings quoted). */
    static String obj(Object... namesAndValues) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (i > 0) {
                json.append(',');
            }
            json.append('"').append(namesAndValues[i]).append("\":").append(value(namesAndValues[i + 1]));
        }
        return json.append('}').toString();
    }

    /** Inserts raw JSON (a number like 1.5, an object) where {@link #obj} would quote a string. */
    record Raw(String json) {
    }

    static Raw raw(String json) {
        return new Raw(json);
    }

    private static String value(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Raw raw) {
            return raw.json();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return Json.write(value.toString());
    }
}
