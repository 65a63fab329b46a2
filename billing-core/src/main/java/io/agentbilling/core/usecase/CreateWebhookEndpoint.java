package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.port.IdGenerator;
import io.agentbilling.core.port.SecretSealer;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.port.WebhookSender;
import io.agentbilling.core.webhooks.KeyedEndpoint;
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
 * operator allows them). At most {@value #MAX_ENDPOINTS_PER_ORG} live endpoints per org.
 *
 * <p>With an idempotency key (optional, as for the other writes of the public API), a retried registration returns
 * the endpoint the key registered, with its secret (opened again from its sealed form), and another request under
 * the same key is an {@code IDEMPOTENCY_CONFLICT}; keys are per org and kept with the endpoint, also once it is
 * deleted. Two concurrent registrations with one key store one endpoint: the store keeps the key unique per org.
 * Thread-safe.
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
     * @param idempotencyKey the caller's key (the {@code Idempotency-Key} header); optional
     */
    public record Command(Caller caller, OrgId orgId, String url, List<String> events, String idempotencyKey) {
        public Command {
            Objects.requireNonNull(caller, "caller");
            Commands.optionalIdempotencyKey(idempotencyKey);
        }

        /** A registration without an idempotency key: a retry of it registers another endpoint. */
        public Command(Caller caller, OrgId orgId, String url, List<String> events) {
            this(caller, orgId, url, events, null);
        }
    }

    /**
     * The endpoint and its signing secret in plain, which is shown only in the answer to its registration (and to
     * a replay of it under the same idempotency key).
     *
     * @param replayed true when an earlier request with the same idempotency key registered this endpoint
     */
    public record Created(WebhookEndpoint endpoint, String secret, boolean replayed) {
        /** A registration answered for the first time. */
        public Created(WebhookEndpoint endpoint, String secret) {
            this(endpoint, secret, false);
        }

        @Override
        public String toString() {
            return "Created[endpoint=" + endpoint.id() + ", replayed=" + replayed + "]";
        }
    }

    /**
     * @throws BillingException {@code FORBIDDEN} for a member who is not an admin, or another org than the caller's;
     *                          {@code BAD_REQUEST} naming {@code url} or {@code events}; {@code UNPROCESSABLE} when
     *                          the org has {@value #MAX_ENDPOINTS_PER_ORG} live endpoints already; {@code
     *                          IDEMPOTENCY_CONFLICT} for a key used with another registration
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
        // Over the normalised request: the event types as a set, so a retry that lists them in another order or
        // twice is the same registration.
        String fingerprint = Fingerprint.of("webhook-endpoint", orgId, c.url(),
                events.stream().map(WebhookEventType::wireName).sorted().toList());
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(ids.secureRandomBytes(SECRET_BYTES));
        WebhookEndpoint endpoint = new WebhookEndpoint(new WebhookEndpointId(ids.newId()), orgId, c.url(), events,
                sealer.seal(secret), UtcPeriods.now(clock), null);
        String key = c.idempotencyKey();
        return transactions.inTransaction(stores -> {
            if (key != null) {
                Optional<KeyedEndpoint> earlier = stores.webhooks().findEndpointByKey(orgId, key);
                if (earlier.isPresent()) {
                    return replayOrConflict(earlier.get(), fingerprint);
                }
            }
            if (stores.directory().findOrg(orgId).isEmpty()) {
                throw BillingException.notFound("organization");
            }
            if (stores.webhooks().endpoints(orgId).size() >= MAX_ENDPOINTS_PER_ORG) {
                throw BillingException.unprocessable("url", "the organization has " + MAX_ENDPOINTS_PER_ORG
                        + " endpoints already; delete one first");
            }
            if (key == null) {
                stores.webhooks().insertEndpoint(endpoint);
            } else if (!stores.webhooks().insertEndpoint(endpoint, key, fingerprint)) {
                // A concurrent retry with the same key registered its endpoint first; that one is the answer.
                return replayOrConflict(stores.webhooks().findEndpointByKey(orgId, key).orElseThrow(
                        () -> new IllegalStateException("endpoint key " + key + " taken but not found")), fingerprint);
            }
            return new Created(endpoint, secret, false);
        });
    }

    private Created replayOrConflict(KeyedEndpoint earlier, String fingerprint) {
        if (!earlier.fingerprint().equals(fingerprint)) {
            throw BillingException.of(BillingError.IDEMPOTENCY_CONFLICT,
                    "idempotency key was already used with a different payload");
        }
        return new Created(earlier.endpoint(), sealer.open(earlier.endpoint().sealedSecret()), true);
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
