package io.agentbilling.core.usecase;

import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.pricing.PriceCatalog;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.spend.SpendAttribution;

/** How settlement commands tell the spend controls what they capture and spend through. Stateless. */
final class SpendAttributions {
    private SpendAttributions() {}

    static SpendAttribution of(HoldId holdId, ApiKeyId apiKeyId) {
        return holdId == null && apiKeyId == null ? SpendAttribution.NONE : SpendAttribution.of(holdId, apiKeyId);
    }

    /**
     * The payload's fingerprint with the hold and key added when there are any, so that a retry naming another hold
     * is a conflict, while a settlement without them keeps the fingerprint it always had (a retry across an upgrade
     * still replays).
     */
    static String fingerprint(String base, HoldId holdId, ApiKeyId apiKeyId) {
        return holdId == null && apiKeyId == null ? base : Fingerprint.of(base, "spend", holdId, apiKeyId);
    }

    /** What a BYOK call would have cost at list price: zero for a model the catalog does not price. */
    static Credits byokListPrice(PriceCatalog catalog, String model, long inputTokens, long outputTokens,
                                 long cachedInputTokens) {
        boolean priced = catalog.models().containsKey(model) || catalog.defaultModelPrice().isPresent();
        return priced ? catalog.chargeForModel(model, false, inputTokens, outputTokens, cachedInputTokens)
                : Credits.ZERO;
    }
}
