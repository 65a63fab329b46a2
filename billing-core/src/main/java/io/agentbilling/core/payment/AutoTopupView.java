package io.agentbilling.core.payment;

import java.util.Objects;

/** An org's auto top-up settings as the API shows them (A7), with whether a card is saved for them. */
public record AutoTopupView(AutoTopupSettings settings, boolean hasSavedPaymentMethod) {
    public AutoTopupView {
        Objects.requireNonNull(settings, "settings");
    }
}
