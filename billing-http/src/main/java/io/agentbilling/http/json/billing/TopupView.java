package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.usecase.StartTopup;

/** The answer of {@code POST /v1/billing/topup} (API.md A5). Nothing is credited yet. */
@JsonClassDescription("An opened checkout session: send the customer to checkoutUrl")
public record TopupView(
        @JsonPropertyDescription("The payment provider's checkout page for this session") String checkoutUrl,
        @JsonPropertyDescription("The checkout session id; verify it with GET /v1/billing/success") String sessionId,
        @JsonPropertyDescription("The amount the session charges, in cents") long amountCents) {

    public static TopupView of(StartTopup.Result result) {
        return new TopupView(result.checkoutUrl(), result.sessionId(), result.amountCents());
    }
}
