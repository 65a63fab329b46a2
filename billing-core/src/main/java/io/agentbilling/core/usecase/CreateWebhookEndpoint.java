package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.IdGenerator;
import io.agentbilling.core.port.SecretSealer;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.port.WebhookSender;
import io.agentbilling.core.webhooks.WebhookEndpoint;
import io.agentbilling.core.webhooks.WebhookEndpointId;
import io.agentbilling.core.webhooks.WebhookEventType;
import io.agentbilling.core.webhooks.WebhookUrl;
import io.agentbilling.core.spend.UtcPeriods;
import java.net.URI;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Registers a webhook endpoint of an org ({@code POST /v1/billing/webhook-endpoints}); admins only. The endpoint
 * gets a signing secret ({@code whsec_…}, 32 random bytes) that is returned here once and stored sealed. The URL must
 * be http(s) and may not name a target the sender refuses (a loopback, private or link-local address, unless the
 * operator allows them). At most {@value #MAX_ENDPOINTS_PER_ORG} live endpoints per org. Thread-safe.
 */
public final class CreateWebhookEndpoint {
    public static final int MAX_ENDPOINTS_PER_ORG = 16;
    static final String SECRET_PREFIX = "whsec_";
    private static final int SECRET_BYTES = 32;

    private final Transactions transactions;
    private final IdGenerator ids;
    private final Clock clock;
    private final SecretSealer sealer;
    private final WebhookSender sender;

    public CreateWebhookEndpoint(Transactions transactions, IdGenerator ids, Clock clock, SecretSealer sealer,
                                 WebhookSender sender) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.sender = Objects.requireNonNull(sender, "sender");
    }

    /**
     * @param orgId  null = the caller's
     * @param url    where to send
     * @param events the event types ({@code balance.low}, …) to send; at least one
     */
    public record Command(Caller caller, OrgId orgId, String url, List<String> events) {
        public Command {
            Objects.requireNonNull(caller, "caller");
        }
    }

    /** The endpoint and its signing secret in plain, which is never shown again. */
    public record Created(WebhookEndpoint endpoint, String secret) {
        @Override
        public String toString() {
            return "Created[endpoint=" + endpoint.id() + "]";
        }
    }

    /**
     * @throws BillingException {@code FORBIDDEN} for a member who is not an admin, or another org than the caller's;
     *                          {@code BAD_REQUEST} naming {@code url} or {@code events}; {@code UNPROCESSABLE} when
     *                          the org has {@value #MAX_ENDPOINTS_PER_ORG} live endpoints already
     */
    public Created execute(Command c) {
        c.caller().requireAdmin();
        OrgId orgId = c.caller().resolveOrg(c.orgId());
        URI url = WebhookUrl.parse("url", c.url());
        Optional<String> refused = sender.refusal(url);
        if (refused.isPresent()) {
            throw BillingException.invalid("url", refused.get());
        }
        Set<WebhookEventType> events = eventTypes(c.events());
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(ids.secureRandomBytes(SECRET_BYTES));
        WebhookEndpoint endpoint = new WebhookEndpoint(new WebhookEndpointId(ids.newId()), orgId, c.url(), events,
                sealer.seal(secret), UtcPeriods.now(clock), null);
        transactions.inTransaction(stores -> {
            if (stores.directory().findOrg(orgId).isEmpty()) {
                throw BillingException.notFound("organization");
            }
            if (stores.webhooks().endpoints(orgId).size() >= MAX_ENDPOINTS_PER_ORG) {
                throw BillingException.unprocessable("url", "the organization has " + MAX_ENDPOINTS_PER_ORG
                        + " endpoints already; delete one first");
            }
            stores.webhooks().insertEndpoint(endpoint);
            return null;
        });
        return new Created(endpoint, secret);
    }

    static Set<WebhookEventType> eventTypes(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw BillingException.invalid("events", "must name at least one event type");
        }
        if (names.size() > WebhookEventType.values().length) {
            throw BillingException.invalid("events", "must have at most " + WebhookEventType.values().length
                    + " entries, one per event type");
        }
        Set<WebhookEventType> types = EnumSet.noneOf(WebhookEventType.class);
        for (String name : names) {
            types.add(WebhookEventType.fromWireName(name).orElseThrow(() -> BillingException.invalid("events",
                    "must each be one of " + String.join(", ", EnumSet.allOf(WebhookEventType.class).stream()
                            .map(WebhookEventType::wireName).toList()))));
        }
        return types;
    }
}
