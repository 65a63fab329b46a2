package io.agentbilling.client;

/**
 * 402 {@code insufficient_credit}: a hold was not admitted, because the org's available credit, the member's budget
 * or the key's cap does not leave its amount; {@link #limitedBy()} names which.
 */
public final class InsufficientCreditException extends BillingApiException {
    private static final long serialVersionUID = 1L;

    public InsufficientCreditException(Answered answer) {
        super(answer);
    }

    /**
     * The limit that refused: {@code org_balance}, {@code member_daily}, {@code member_monthly}, {@code key_monthly}
     * or {@code key_lifetime}; null if the answer did not name one.
     */
    public String limitedBy() {
        return details().stream().filter(d -> d.field().equals("limitedBy")).map(FieldIssue::issue).findFirst()
                .orElse(null);
    }
}
