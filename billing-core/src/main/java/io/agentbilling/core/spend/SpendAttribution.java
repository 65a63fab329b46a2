package io.agentbilling.core.spend;

import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.money.Credits;
import java.util.Objects;

/**
 * What a settlement tells the spend controls beyond its ledger posting: the hold it captures, the API key it is
 * spent through, and for a BYOK call its list price (which counts toward budgets and caps when the org says so,
 * although it is never charged).
 *
 * @param holdId        the hold to capture; null for none
 * @param apiKeyId      the key the spend goes through; null for none (a captured hold's key is used then)
 * @param byokListPrice what a BYOK call would have cost at list price; zero for anything else
 * @param finalCapture  whether a captured hold closes (every settlement but a sandbox's interim ones)
 */
public record SpendAttribution(HoldId holdId, ApiKeyId apiKeyId, Credits byokListPrice, boolean finalCapture) {
    /** Nothing to attribute. */
    public static final SpendAttribution NONE = new SpendAttribution(null, null, Credits.ZERO, true);

    public SpendAttribution {
        Objects.requireNonNull(byokListPrice, "byokListPrice");
        if (byokListPrice.isNegative()) {
            throw new IllegalArgumentException("a list price is zero or more");
        }
    }

    public static SpendAttribution of(HoldId holdId, ApiKeyId apiKeyId) {
        return new SpendAttribution(holdId, apiKeyId, Credits.ZERO, true);
    }

    public SpendAttribution withByokListPrice(Credits listPrice) {
        return new SpendAttribution(holdId, apiKeyId, listPrice, finalCapture);
    }

    public SpendAttribution withFinalCapture(boolean last) {
        return new SpendAttribution(holdId, apiKeyId, byokListPrice, last);
    }

    /** True when there is nothing for the spend controls to do with this settlement. */
    public boolean isNone() {
        return holdId == null && apiKeyId == null && byokListPrice.isZero();
    }
}
