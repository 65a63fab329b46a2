package io.agentbilling.core;

import io.agentbilling.core.usecase.ExpireHolds;
import io.agentbilling.core.usecase.GetApiKeyCaps;
import io.agentbilling.core.usecase.GetBudgets;
import io.agentbilling.core.usecase.GetHold;
import io.agentbilling.core.usecase.GetSpendSettings;
import io.agentbilling.core.usecase.PlaceHold;
import io.agentbilling.core.usecase.ReleaseHold;
import io.agentbilling.core.usecase.SetApiKeyCap;
import io.agentbilling.core.usecase.SetMemberBudget;
import io.agentbilling.core.usecase.UpdateSpendSettings;
import java.util.Objects;

/**
 * The spend-control use cases of an engine ({@link Billing#spendControls()}): holds (admission that reserves),
 * member budgets, API-key caps and the org's spend settings. The credit gate itself is {@link Billing#checkCredit()},
 * which reads the same limits without reserving. Thread-safe.
 */
public final class SpendControls {
    private final PlaceHold placeHold;
    private final GetHold getHold;
    private final ReleaseHold releaseHold;
    private final ExpireHolds expireHolds;
    private final SetMemberBudget setMemberBudget;
    private final GetBudgets getBudgets;
    private final SetApiKeyCap setApiKeyCap;
    private final GetApiKeyCaps getApiKeyCaps;
    private final GetSpendSettings getSpendSettings;
    private final UpdateSpendSettings updateSpendSettings;

    SpendControls(PlaceHold placeHold, GetHold getHold, ReleaseHold releaseHold, ExpireHolds expireHolds,
                  SetMemberBudget setMemberBudget, GetBudgets getBudgets, SetApiKeyCap setApiKeyCap,
                  GetApiKeyCaps getApiKeyCaps, GetSpendSettings getSpendSettings,
                  UpdateSpendSettings updateSpendSettings) {
        this.placeHold = Objects.requireNonNull(placeHold);
        this.getHold = Objects.requireNonNull(getHold);
        this.releaseHold = Objects.requireNonNull(releaseHold);
        this.expireHolds = Objects.requireNonNull(expireHolds);
        this.setMemberBudget = Objects.requireNonNull(setMemberBudget);
        this.getBudgets = Objects.requireNonNull(getBudgets);
        this.setApiKeyCap = Objects.requireNonNull(setApiKeyCap);
        this.getApiKeyCaps = Objects.requireNonNull(getApiKeyCaps);
        this.getSpendSettings = Objects.requireNonNull(getSpendSettings);
        this.updateSpendSettings = Objects.requireNonNull(updateSpendSettings);
    }

    public PlaceHold placeHold() { return placeHold; }
    public GetHold getHold() { return getHold; }
    public ReleaseHold releaseHold() { return releaseHold; }
    public ExpireHolds expireHolds() { return expireHolds; }
    public SetMemberBudget setMemberBudget() { return setMemberBudget; }
    public GetBudgets getBudgets() { return getBudgets; }
    public SetApiKeyCap setApiKeyCap() { return setApiKeyCap; }
    public GetApiKeyCaps getApiKeyCaps() { return getApiKeyCaps; }
    public GetSpendSettings getSpendSettings() { return getSpendSettings; }
    public UpdateSpendSettings updateSpendSettings() { return updateSpendSettings; }
}
