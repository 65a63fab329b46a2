package io.agentbilling.client;

import io.agentbilling.client.Requests.Query;
import io.agentbilling.client.Transport.Answer;
import io.agentbilling.client.Transport.Call;
import io.agentbilling.client.Transport.Safety;
import io.agentbilling.client.billing.ApiKeyCap;
import io.agentbilling.client.billing.AutoTopup;
import io.agentbilling.client.billing.AutoTopupUpdate;
import io.agentbilling.client.billing.Checkout;
import io.agentbilling.client.billing.Credits;
import io.agentbilling.client.billing.HistoryQuery;
import io.agentbilling.client.billing.LedgerEntry;
import io.agentbilling.client.billing.MemberBudget;
import io.agentbilling.client.billing.SpendSettings;
import io.agentbilling.client.billing.Plan;
import io.agentbilling.client.billing.Topup;
import io.agentbilling.client.billing.TopupRequest;
import io.agentbilling.client.billing.UsagePeriod;
import io.agentbilling.client.billing.UsageReport;
import io.agentbilling.client.billing.CreatedWebhookEndpoint;
import io.agentbilling.client.billing.WebhookDelivery;
import io.agentbilling.client.billing.WebhookEndpoint;
import java.net.URI;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The public billing API ({@code /v1/billing/…}, docs/API.md Part A) with an organization member's API key, mirroring
 * the platform SDK's {@code rt.billing.*}: plan, credits, the credit history (paged for you), usage reports, card
 * top-ups and auto top-up. Calls without an {@code orgId} act on the key's own organization. Thread-safe; make one per
 * key and share it.
 *
 * <p>A top-up carries an idempotency key (the request's, or one generated for the call and kept for its retries), so
 * a retried top-up returns the same checkout session ({@link Topup#replayed()}). Failures are
 * {@link BillingClientException}s; see {@link RetryPolicy} for what is retried.
 */
public final class BillingClient {
    /** The header that carries the API key. */
    public static final String API_KEY_HEADER = "X-API-Key";

    private static final String BILLING = "/v1/billing";
    private static final String WEBHOOK_ENDPOINTS = BILLING + "/webhook-endpoints";

    private final Transport transport;

    private BillingClient(Transport transport) {
        this.transport = transport;
    }

    /**
     * A client for this API key with the default {@link RetryPolicy}.
     */
    public static BillingClient create(URI baseUrl, String apiKey) {
        return builder(baseUrl, apiKey).build();
    }

    /**
     * A builder at the defaults.
     */
    public static Builder builder(URI baseUrl, String apiKey) {
        return new Builder(baseUrl, apiKey);
    }

    /** Settings of a {@link BillingClient}; see {@link ClientBuilder}. */
    public static final class Builder extends ClientBuilder<Builder, BillingClient> {
        private Builder(URI baseUrl, String apiKey) {
            super(baseUrl, apiKey);
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        public BillingClient build() {
            return new BillingClient(transport(API_KEY_HEADER));
        }
    }

    /**
     * The plan and credit summary of the key's organization.
     */
    public Plan plan() {
        return plan(null);
    }

    /**
     * @param orgId the caller's organization (another one is 403); null = the key's
     */
    public Plan plan(UUID orgId) {
        return transport.data(Call.get(BILLING + "/plan" + new Query().add("orgId", orgId)), Plan.class);
    }

    /**
     * The credit balance and ledger totals of the key's organization.
     */
    public Credits credits() {
        return credits(null);
    }

    /**
     * @param orgId the organization
     */
    public Credits credits(UUID orgId) {
        return transport.data(Call.get(BILLING + "/credits" + new Query().add("orgId", orgId)), Credits.class);
    }

    /**
     * Whole credit history of the key's organization, newest first, fetched page by page as it is read.
     */
    public Stream<LedgerEntry> creditHistory() {
        return creditHistory(HistoryQuery.all());
    }

    /**
     * The entries the query selects, newest first. The stream is lazy: each page ({@code query.pageSize()} entries)
     * is requested when the previous one has been read, following {@code meta.nextCursor}, so {@code limit(n)}
     * fetches only what it needs. A failed page request throws from the stream's terminal operation.
     *
     * @param query what to read
     */
    public Stream<LedgerEntry> creditHistory(HistoryQuery query) {
        Objects.requireNonNull(query, "query");
        Spliterator<LedgerEntry> pages = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            private Iterator<LedgerEntry> page = Collections.emptyIterator();
            private String cursor;
            private boolean last;

            @Override
            public boolean tryAdvance(Consumer<? super LedgerEntry> action) {
                while (!page.hasNext()) {
                    if (last) {
                        return false;
                    }
                    Page<LedgerEntry> next = creditHistoryPage(query, cursor);
                    page = next.items().iterator();
                    cursor = next.nextCursor();
                    last = !next.hasMore() || cursor == null;
                }
                action.accept(page.next());
                return true;
            }
        };
        return StreamSupport.stream(pages, false);
    }

    /**
     * One page of the credit history: {@code cursor} null for the first, else the previous page's nextCursor.
     *
     * @param query what to read
     */
    public Page<LedgerEntry> creditHistoryPage(HistoryQuery query, String cursor) {
        Query parameters = new Query().add("orgId", query.orgId()).add("limit", query.pageSize())
                .add("cursor", cursor)
                .add("type", query.types().isEmpty() ? null : String.join(",", query.types()))
                .add("from", query.from()).add("to", query.to());
        Answer<List<LedgerEntry>> answer = transport.sendList(Call.get(BILLING + "/credits/history" + parameters),
                LedgerEntry.class, transport.policy());
        return new Page<>(answer.data(), answer.hasMore(), answer.nextCursor());
    }

    /**
     * A usage report ({@code rt.billing.myUsage({period, all})}): the caller's row, or with {@code all} (admins only)
     * every member's row and the organization's totals.
     */
    public UsageReport myUsage(UsagePeriod period, boolean all) {
        return myUsage(period, all, null);
    }

    /**
     * @param orgId the organization
     */
    public UsageReport myUsage(UsagePeriod period, boolean all, UUID orgId) {
        Query parameters = new Query().add("period", Objects.requireNonNull(period, "period").wireName())
                .add("all", all).add("orgId", orgId);
        return transport.data(Call.get(BILLING + "/my-usage" + parameters), UsageReport.class);
    }

    /**
     * Starts a card top-up (admins only) and returns the checkout session to send the customer to. Nothing is
     * credited until it is paid; {@link #verifyCheckout} confirms it.
     *
     * @param successUrl where checkout returns after paying; null = the server's page
     * @param cancelUrl  where checkout returns when cancelled; null = the server's page
     */
    public Topup topup(long amountCents, String successUrl, String cancelUrl) {
        return topup(TopupRequest.of(amountCents).withRedirects(successUrl, cancelUrl));
    }

    /**
     * Starts a card top-up; the request's key (or a generated one) makes its retries return the same session.
     */
    public Topup topup(TopupRequest request) {
        String key = request.idempotencyKey() != null ? request.idempotencyKey() : Requests.newIdempotencyKey();
        Answer<Topup> answer = transport.send(new Call("POST", BILLING + "/topup", transport.body(request),
                Safety.REPEATABLE, key, true), Topup.class);
        Topup topup = answer.data();
        return new Topup(topup.checkoutUrl(), topup.sessionId(), topup.amountCents(), answer.replayedHeader());
    }

    /**
     * A checkout's state; when it is paid, credits the organization exactly once (if the webhook has not yet).
     *
     * @param sessionId the checkout session id
     */
    public Checkout verifyCheckout(String sessionId) {
        return transport.data(Call.get(BILLING + "/success" + new Query().add("session_id",
                Objects.requireNonNull(sessionId, "sessionId"))), Checkout.class);
    }

    /**
     * The auto top-up settings of the key's organization.
     */
    public AutoTopup autoTopup() {
        return autoTopup(null);
    }

    /**
     * @param orgId the organization
     */
    public AutoTopup autoTopup(UUID orgId) {
        return transport.data(Call.get(BILLING + "/auto-topup" + new Query().add("orgId", orgId)), AutoTopup.class);
    }

    /**
     * Changes auto top-up settings (admins only); null fields keep their values. Answers the settings.
     */
    public AutoTopup updateAutoTopup(AutoTopupUpdate update) {
        return transport.data(new Call("PUT", BILLING + "/auto-topup", transport.body(update), Safety.REPEATABLE,
                null, false), AutoTopup.class);
    }

    /** Every member's budget and spend (an admin), or the caller's own row (a member). */
    public List<MemberBudget> budgets() {
        return budgets(null);
    }

    public List<MemberBudget> budgets(UUID orgId) {
        return transport.sendList(Call.get(BILLING + "/budgets" + new Query().add("orgId", orgId)),
                MemberBudget.class, transport.policy()).data();
    }

    /**
     * Sets a member's budget (admins only), replacing both limits: a null limit is none, both null removes the
     * budget. Answers the member's budget and spend.
     */
    public MemberBudget setMemberBudget(UUID memberId, Long monthlyLimitCents, Long dailyLimitCents) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("monthlyLimitCents", monthlyLimitCents);
        body.put("dailyLimitCents", dailyLimitCents);
        return transport.data(new Call("PUT", BILLING + "/budgets/members/" + Objects.requireNonNull(memberId,
                "memberId"), transport.body(body), Safety.REPEATABLE, null, false), MemberBudget.class);
    }

    /** The organization's capped API keys and the spend through each (admins only). */
    public List<ApiKeyCap> apiKeyCaps() {
        return transport.sendList(Call.get(BILLING + "/api-key-caps"), ApiKeyCap.class, transport.policy()).data();
    }

    /** The organization's spend settings. */
    public SpendSettings spendSettings() {
        return transport.data(Call.get(BILLING + "/settings"), SpendSettings.class);
    }

    /**
     * Replaces the spend settings (admins only): whether BYOK calls count toward budgets and caps, and the
     * low-balance threshold of {@code balance.low} (null: none).
     */
    public SpendSettings updateSpendSettings(boolean countByokTowardBudgets, Long balanceLowThresholdCents) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("countByokTowardBudgets", countByokTowardBudgets);
        body.put("balanceLowThresholdCents", balanceLowThresholdCents);
        return transport.data(new Call("PUT", BILLING + "/settings", transport.body(body), Safety.REPEATABLE, null,
                false), SpendSettings.class);
    }

    /**
     * Registers a webhook endpoint (admins only): {@code events} are wire names such as {@code balance.low}. Sent
     * with a generated idempotency key, so a retry after a lost answer returns the same endpoint and secret instead
     * of registering a second one. The answer's secret is never shown again.
     */
    public CreatedWebhookEndpoint createWebhookEndpoint(String url, List<String> events) {
        return createWebhookEndpoint(url, events, null);
    }

    /**
     * Registers a webhook endpoint under the caller's idempotency key: the same key with the same URL and event
     * types returns the endpoint it registered, with its secret, even from another process (a conflicting request
     * under the key is a {@link ConflictException}, {@code isIdempotencyConflict()}).
     *
     * @param idempotencyKey 1-255 characters; null = a generated one, good for this call's retries only
     */
    public CreatedWebhookEndpoint createWebhookEndpoint(String url, List<String> events, String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", Objects.requireNonNull(url, "url"));
        body.put("events", List.copyOf(events));
        String key = idempotencyKey != null ? idempotencyKey : Requests.newIdempotencyKey();
        Answer<CreatedWebhookEndpoint> answer = transport.send(new Call("POST", WEBHOOK_ENDPOINTS,
                transport.body(body), Safety.REPEATABLE, key, true), CreatedWebhookEndpoint.class);
        CreatedWebhookEndpoint created = answer.data();
        return new CreatedWebhookEndpoint(created.id(), created.orgId(), created.url(), created.events(),
                created.createdAt(), created.secret(), answer.replayedHeader());
    }

    /** The organization's live webhook endpoints, oldest first (admins only). */
    public List<WebhookEndpoint> webhookEndpoints() {
        return transport.sendList(Call.get(WEBHOOK_ENDPOINTS), WebhookEndpoint.class, transport.policy()).data();
    }

    /** One live webhook endpoint (admins only). */
    public WebhookEndpoint webhookEndpoint(UUID endpointId) {
        return transport.data(Call.get(endpointPath(endpointId)), WebhookEndpoint.class);
    }

    /** Deletes a webhook endpoint and cancels its pending deliveries (admins only); deleting again answers the same. */
    public WebhookEndpoint deleteWebhookEndpoint(UUID endpointId) {
        return transport.data(new Call("DELETE", endpointPath(endpointId), null, Safety.REPEATABLE, null, false),
                WebhookEndpoint.class);
    }

    /**
     * One page of an endpoint's deliveries, newest first, each with its attempts (admins only).
     *
     * @param limit  1..100, null for the server's default (20)
     * @param cursor null for the newest page, else the previous page's nextCursor
     */
    public Page<WebhookDelivery> webhookDeliveries(UUID endpointId, Integer limit, String cursor) {
        Answer<List<WebhookDelivery>> answer = transport.sendList(Call.get(endpointPath(endpointId) + "/deliveries"
                + new Query().add("limit", limit).add("cursor", cursor)), WebhookDelivery.class, transport.policy());
        return new Page<>(answer.data(), answer.hasMore(), answer.nextCursor());
    }

    /** Queues a delivery to be sent again now, with a fresh retry window (admins only). */
    public WebhookDelivery retryWebhookDelivery(UUID endpointId, UUID deliveryId) {
        return transport.data(new Call("POST", endpointPath(endpointId) + "/deliveries/"
                + Objects.requireNonNull(deliveryId, "deliveryId") + "/retry", transport.body(Map.of()),
                Safety.REPEATABLE, null, false),
                WebhookDelivery.class);
    }

    private static String endpointPath(UUID endpointId) {
        return WEBHOOK_ENDPOINTS + "/" + Objects.requireNonNull(endpointId, "endpointId");
    }
}
