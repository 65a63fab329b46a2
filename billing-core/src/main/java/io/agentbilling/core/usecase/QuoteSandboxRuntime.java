package io.agentbilling.core.usecase;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.Account;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.money.UnitPrice;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.spend.Admission;
import java.time.Instant;
import io.agentbilling.core.pricing.PriceCatalog;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.Objects;

/**
 * The credit gate before starting or extending a sandbox (API.md Part B {@code sandbox-runtime/quote}): its price per
 * second now, the cost of the seconds asked for, and how many seconds the org's credit covers. Reads the committed
 * balance without locking. Thread-safe.
 */
public final class QuoteSandboxRuntime {
    private final Transactions transactions;
    private final PriceBook prices;
    private final Clock clock;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param prices the prices in force
     * @param clock the clock that tells the time
     */
    public QuoteSandboxRuntime(Transactions transactions, PriceBook prices, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.prices = Objects.requireNonNull(prices, "prices");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @param seconds the runtime to quote, at least 1; null = just the price and the affordable seconds */
    public record Command(OrgId orgId, String size, Long seconds) {}

    /**
     * @param cost              the price of {@code seconds} (zero when none were asked)
     * @param affordableSeconds whole seconds the available credit pays for: 0 when it is not positive,
     *                          {@link Long#MAX_VALUE} when the size is free
     * @param allowed           the available credit covers the seconds asked (at least one second when none were)
     */
    public record Result(UnitPrice pricePerSecond, Credits cost, long affordableSeconds, boolean allowed,
                         Credits available) {}

    /**
     * The price of sandbox runtime, and what the org can afford.
     *
     * @param c the org, the size and optionally the seconds
     * @return the price per second, the cost and the credit available
     * @throws BillingException {@code BAD_REQUEST} naming the field at fault; {@code NOT_FOUND} when the org does not
     *                          exist; {@code UNPROCESSABLE} for a size the catalog does not price
     */
    public Result execute(Command c) {
        Checks.required("orgId", c.orgId());
        Checks.name("size", c.size(), Checks.MAX_NAME_LENGTH);
        if (c.seconds() != null) {
            Checks.positive("seconds", c.seconds());
        }
        PriceCatalog catalog = prices.inForceAt(clock.instant());
        UnitPrice price = catalog.sandboxPricePerSecond(c.size());
        // Available credit is the balance less what active holds reserve, read in one snapshot.
        Instant now = clock.instant();
        Credits available = transactions.read(stores -> {
            Account account = stores.ledger().findAccount(c.orgId())
                    .orElseThrow(() -> BillingException.notFound("organization"));
            return Admission.saturatingPlus(account.balance(),
                    stores.spend().held(c.orgId(), null, null, now).byOrg().negate());
        });
        long affordable = affordableSeconds(available, price);
        Credits cost = c.seconds() == null ? Credits.ZERO : catalog.chargeForSandbox(c.size(), c.seconds());
        boolean allowed = affordable >= (c.seconds() == null ? 1 : c.seconds());
        return new Result(price, cost, affordable, allowed, available);
    }

    static long affordableSeconds(Credits available, UnitPrice pricePerSecond) {
        if (pricePerSecond.isFree()) {
            return Long.MAX_VALUE;
        }
        if (!available.isPositive()) {
            return 0;
        }
        BigDecimal seconds = BigDecimal.valueOf(available.micros())
                .divide(pricePerSecond.microsPerUnit(), 0, RoundingMode.FLOOR);
        return seconds.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : seconds.longValueExact();
    }
}
