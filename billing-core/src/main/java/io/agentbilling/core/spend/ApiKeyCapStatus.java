package io.agentbilling.core.spend;

import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.money.Credits;
import java.time.LocalDate;
import java.util.Objects;

/**
 * An API key's cap and where the key stands against it: spent through it this month (UTC) and over its life, held
 * by active holds, and what remains under each cap ({@code cap - spent - held}).
 *
 * @param cap                null when the key has none
 * @param remainingThisMonth null without a monthly cap
 * @param remainingLifetime  null without a lifetime cap
 */
public record ApiKeyCapStatus(ApiKey key, ApiKeyCap cap, LocalDate monthStart, Credits spentThisMonth,
                              Credits spentLifetime, Credits held, Credits remainingThisMonth,
                              Credits remainingLifetime) {
    public ApiKeyCapStatus {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(monthStart, "monthStart");
        Objects.requireNonNull(spentThisMonth, "spentThisMonth");
        Objects.requireNonNull(spentLifetime, "spentLifetime");
        Objects.requireNonNull(held, "held");
    }

    public static ApiKeyCapStatus of(ApiKey key, ApiKeyCap cap, LocalDate monthStart, Credits spentThisMonth,
                                     Credits spentLifetime, Credits held) {
        Credits monthly = cap == null ? null : cap.monthlyLimit();
        Credits lifetime = cap == null ? null : cap.lifetimeLimit();
        return new ApiKeyCapStatus(key, cap, monthStart, spentThisMonth, spentLifetime, held,
                MemberBudgetStatus.remaining(monthly, spentThisMonth, held),
                MemberBudgetStatus.remaining(lifetime, spentLifetime, held));
    }
}
