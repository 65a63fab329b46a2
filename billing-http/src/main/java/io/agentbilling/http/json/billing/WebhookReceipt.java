package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.usecase.HandlePaymentEvent;
import java.util.Locale;

/** The answer to a verified webhook delivery (API.md C): 200 whether it was new, a redelivery or not ours. */
@JsonClassDescription("A verified webhook delivery, acknowledged")
public record WebhookReceipt(
        boolean received,
        String eventId,
        @JsonPropertyDescription("processed, duplicate (a redelivery; nothing changed) or ignored") String outcome) {

    public static WebhookReceipt of(HandlePaymentEvent.Result result) {
        return new WebhookReceipt(true, result.eventId(), result.outcome().name().toLowerCase(Locale.ROOT));
    }
}
