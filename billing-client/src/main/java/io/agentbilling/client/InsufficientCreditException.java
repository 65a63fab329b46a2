package io.agentbilling.client;

import io.agentbilling.client.service.LimitKind;

/**
 * 402 {@code insufficient_credit}: a hold was not admitted, because the org's available credit, the member's budget
 * or the key's cap does not leave its amount; {@link #limitedBy()} names which. Nothing was reserved.
 */
public final class InsufficientCreditException extends BillingApiException {
    private static final long serialVersionUID = 1L;

    public InsufficientCreditException(Answered answer) {
        super(answer);
    }

    /**
     * The limit that refused, read from the error's {@code details} ({@code {field: "limitedBy", issue:
     * "member_daily"}}); {@link LimitKind#UNRECOGNIZED} for a limit this client does not know; null if the answer did
     * not name one.
     */
    public LimitKind limitedBy() {
        return details().stream().filter(d -> "limitedBy".equals(d.field())).map(FieldIssue::issue).findFirst()
                .map(LimitKind::ofWireName).orElse(null);
    }
}
