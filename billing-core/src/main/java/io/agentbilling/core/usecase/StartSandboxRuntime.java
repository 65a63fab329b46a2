package io.agentbilling.core.usecase;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.ledger.IdempotencyRecord;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.usage.SandboxMeter;
import io.agentbilling.core.usage.UsageWindow;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Opens a sandbox's runtime meter. Idempotent twice over: the idempotency key replays its original meter, and a
 * start of a sandbox that already has a meter replays it when the payload matches (same org, member, size and, when
 * given, start time) and is a {@code conflict} when it does not. The size must be priced by the catalog in force at
 * the start ({@code unprocessable}). Thread-safe.
 */
public final class StartSandboxRuntime {
    private final Transactions transactions;
    private final PriceBook prices;
    private final Clock clock;
    private final UsageWindow window;

    public StartSandboxRuntime(Transactions transactions, PriceBook prices, Clock clock) {
        this(transactions, prices, clock, UsageWindow.DEFAULT);
    }

    public StartSandboxRuntime(Transactions transactions, PriceBook prices, Clock clock, UsageWindow window) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.prices = Objects.requireNonNull(prices, "prices");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = Objects.requireNonNull(window, "window");
    }

    /**
     * @param startedAt when the sandbox started; null = now; a time of usage like any other: within the
     *                  {@link UsageWindow} and not before the org was created (422 otherwise)
     */
    public record Command(String sandboxId, OrgId orgId, MemberId memberId, String size, Instant startedAt,
                          String idempotencyKey) {}

    public record Result(SandboxMeter meter, boolean replayed) {}

    public Result execute(Command c) {
        Checks.name("sandboxId", c.sandboxId(), Checks.MAX_NAME_LENGTH);
        Checks.required("orgId", c.orgId());
        Checks.required("memberId", c.memberId());
        Checks.name("size", c.size(), Checks.MAX_NAME_LENGTH);
        Checks.idempotencyKey(c.idempotencyKey());
        Instant now = clock.instant();
        // Stored timestamps keep microseconds (PostgreSQL); truncate so that a replay compares equal on every adapter.
        Instant startedAt = (c.startedAt() == null ? now : window.usageAt("startedAt", c.startedAt(), now))
                .truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        prices.inForceAt(startedAt).sandboxPricePerSecond(c.size());

        String fingerprint = Fingerprint.of("sandbox-start", c.sandboxId(), c.memberId(), c.size(), c.startedAt());
        return transactions.inTransaction(stores -> {
            requireOrgAndMember(stores, c, startedAt);
            IdempotencyRecord claim = IdempotencyRecord.claim(c.orgId(), c.idempotencyKey(), fingerprint, now);
            IdempotencyRecord earlier = stores.ledger().claimKeys(List.of(claim)).get(claim.scopedKey());
            if (earlier != null) {
                return replay(stores, earlier, fingerprint);
            }
            SandboxMeter fresh = SandboxMeter.start(c.sandboxId(), c.orgId(), c.memberId(), c.size(), startedAt);
            Result result;
            if (stores.meters().insertIfAbsent(fresh)) {
                result = new Result(fresh, false);
            } else {
                SandboxMeter existing = stores.meters().find(c.sandboxId()).orElseThrow(
                        () -> new IllegalStateException("meter " + c.sandboxId() + " vanished"));
                if (!sameStart(existing, c)) {
                    throw BillingException.of(BillingError.CONFLICT,
                            "sandbox " + c.sandboxId() + " was already started with another payload");
                }
                result = new Result(existing, true);
            }
            stores.ledger().completeKeys(List.of(claim.withOutcome(null, Credits.ZERO, Credits.ZERO,
                    c.sandboxId())));
            return result;
        });
    }

    private static void requireOrgAndMember(Stores stores, Command c, Instant startedAt) {
        Org org = stores.directory().findOrg(c.orgId()).orElseThrow(() -> BillingException.notFound("organization"));
        if (c.startedAt() != null) {
            UsageWindow.notBeforeOrg("startedAt", startedAt, org.createdAt());
        }
        if (stores.directory().findMember(c.orgId(), c.memberId()).isEmpty()) {
            throw BillingException.of(BillingError.UNPROCESSABLE, "memberId is not a member of this organization");
        }
    }

    private static Result replay(Stores stores, IdempotencyRecord earlier, String fingerprint) {
        if (!earlier.fingerprint().equals(fingerprint)) {
            throw BillingException.of(BillingError.IDEMPOTENCY_CONFLICT,
                    "idempotency key was already used with a different payload");
        }
        SandboxMeter meter = stores.meters().find(earlier.resultRef()).orElseThrow(
                () -> new IllegalStateException("idempotency key points at a missing meter " + earlier.resultRef()));
        return new Result(meter, true);
    }

    private static boolean sameStart(SandboxMeter existing, Command c) {
        return existing.orgId().equals(c.orgId()) && existing.memberId().equals(c.memberId())
                && existing.size().equals(c.size())
                && (c.startedAt() == null
                        || existing.startedAt().equals(c.startedAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS)));
    }
}
