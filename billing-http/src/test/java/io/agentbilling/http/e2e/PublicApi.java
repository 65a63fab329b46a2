package io.agentbilling.http.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.SettleDeduction;
import io.agentbilling.core.usecase.SettlementResult;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.support.TestApplication;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shorthands for the public API's end-to-end tests: keys as headers, URLs, the local checkout. */
final class PublicApi {
    static final Pattern LOCAL_SESSION_ID = Pattern.compile("cs_local_[A-Za-z0-9]{24}");

    private PublicApi() {
    }

    static String[] key(String apiKey) {
        return new String[] {"X-API-Key", apiKey};
    }

    /** The path and query of an absolute URL, to request it from the test server whatever host it names. */
    static String pathOf(String url) {
        URI uri = URI.create(url);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    static String queryParam(String url, String name) {
        String query = URI.create(url).getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static String localSessionIdIn(String text) {
        Matcher matcher = LOCAL_SESSION_ID.matcher(text);
        assertThat(matcher.find()).as(text).isTrue();
        return matcher.group();
    }

    /** A generic debit, straight through the engine (the internal HTTP routes are not this suite's subject). */
    static SettlementResult deduct(TestApplication server, OrgId org, MemberId member, long micros, String resource,
                                   String referenceId) {
        return server.app.billing().settleDeduction().execute(SettleDeduction.Command.builder()
                .orgId(org).memberId(member).amountMicros(micros).resource(resource).description("test debit")
                .referenceId(referenceId).idempotencyKey("debit-" + UUID.randomUUID()).build());
    }

    /** POSTs an empty HTML form, as a browser pressing a button does. */
    static Answer submitForm(TestApplication server, String path) {
        return server.send("POST", path, "application/x-www-form-urlencoded", null);
    }

    /**
     * Pays a local checkout as a person would: opens its page, presses Pay; returns the 303's {@code Location}.
     */
    static String payLocally(TestApplication server, String checkoutUrl) {
        Answer page = server.get(pathOf(checkoutUrl));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        String sessionId = localSessionIdIn(checkoutUrl);
        assertThat(page.body()).contains("action=\"" + sessionId + "/pay\"");
        Answer paid = submitForm(server, pathOf(checkoutUrl) + "/pay");
        assertThat(paid.status()).as(paid.body()).isEqualTo(303);
        return paid.header("Location");
    }
}
