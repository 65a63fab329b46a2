package io.agentbilling.client;

import io.agentbilling.client.Transport.Call;
import io.agentbilling.client.Transport.Safety;
import io.agentbilling.client.service.Adjustment;
import io.agentbilling.client.service.ApiKey;
import io.agentbilling.client.service.BatchItem;
import io.agentbilling.client.service.Charge;
import io.agentbilling.client.service.CreateOrg;
import io.agentbilling.client.service.CreatedApiKey;
import io.agentbilling.client.service.CreditCheck;
import io.agentbilling.client.service.Deduction;
import io.agentbilling.client.service.DeductionResult;
import io.agentbilling.client.service.Entry;
import io.agentbilling.client.service.Grant;
import io.agentbilling.client.service.LedgerReport;
import io.agentbilling.client.service.Member;
import io.agentbilling.client.service.ModelUsage;
import io.agentbilling.client.billing.ApiKeyCap;
import io.agentbilling.client.service.CreditCheckRequest;
import io.agentbilling.client.service.Hold;
import io.agentbilling.client.service.HoldRequest;
import io.agentbilling.client.service.NewApiKey;
import io.agentbilling.client.service.Org;
import io.agentbilling.client.service.Pricing;
import io.agentbilling.client.service.ResourceCharge;
import io.agentbilling.client.service.Role;
import io.agentbilling.client.service.SandboxMeter;
import io.agentbilling.client.service.SandboxQuote;
import io.agentbilling.client.service.SandboxSettle;
import io.agentbilling.client.service.SandboxSettlement;
import io.agentbilling.client.service.SandboxStart;
import io.agentbilling.client.service.StorageQuota;
import io.agentbilling.client.service.StorageUsage;
import io.agentbilling.client.service.ToolExecution;
import io.agentbilling.client.service.UsageEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The service-to-service API ({@code /v1/internal/…}, docs/API.md Part B) with the internal secret: credit and
 * storage gates, usage settlement (single and batched), sandbox runtime meters, pricing, and the organization admin
 * calls. Thread-safe; make one per process and share it.
 *
 * <p>Every write carries an idempotency key: the request's own, or one the client generates for the call and sends
 * again on each retry, so a retried settlement is answered as a replay ({@code replayed} true) and never charged
 * twice. Failures are {@link BillingClientException}s; see {@link RetryPolicy} for what is retried. For usage that
 * must never be lost, report it through a {@link UsageReporter} rather than calling the settlement methods directly.
 */
public final class BillingServiceClient {
    /** The header that carries the internal secret. */
    public static final String SECRET_HEADER = "X-Internal-Secret";
    /** Events in one {@link #settleBatch} call, at most. */
    public static final int MAX_BATCH_EVENTS = 1_000;

    private static final String BILLING = "/v1/internal/billing";
    private static final String SANDBOXES = BILLING + "/sandbox-runtime/";
    private static final String ORGS = "/v1/internal/orgs";
    static final String BATCH_PATH = BILLING + "/usage-events:batch";

    private final Transport transport;

    private BillingServiceClient(Transport transport) {
        this.transport = transport;
    }

    /**
     * A client with the default {@link RetryPolicy}.
     */
    public static BillingServiceClient create(URI baseUrl, String internalSecret) {
        return builder(baseUrl, internalSecret).build();
    }

    /**
     * A builder at the defaults.
     */
    public static Builder builder(URI baseUrl, String internalSecret) {
        return new Builder(baseUrl, internalSecret);
    }

    /** Settings of a {@link BillingServiceClient}; see {@link ClientBuilder}. */
    public static final class Builder extends ClientBuilder<Builder, BillingServiceClient> {
        private Builder(URI baseUrl, String internalSecret) {
            super(baseUrl, internalSecret);
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        public BillingServiceClient build() {
            return new BillingServiceClient(transport(SECRET_HEADER));
        }
    }

    // ---- gates and reads

    /**
     * May the org start billable work? Allowed when the balance is positive.
     *
     * @param orgId the organization
     */
    public CreditCheck creditCheck(UUID orgId) {
        return creditCheck(orgId, null);
    }

    /**
     * May the org start work expected to cost {@code estimatedCents}?
     *
     * @param orgId the organization
     */
    public CreditCheck creditCheck(UUID orgId, long estimatedCents) {
        return creditCheck(orgId, Long.valueOf(estimatedCents));
    }

    private CreditCheck creditCheck(UUID orgId, Long estimatedCents) {
        return creditCheck(new CreditCheckRequest(orgId, estimatedCents, null, null));
    }

    /**
     * The credit gate over the org's available credit and, when the request names them, the member's budget and the
     * key's caps: all read in one snapshot, with what remains under each limit. Reserves nothing.
     */
    public CreditCheck creditCheck(CreditCheckRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orgId", request.orgId());
        body.put("estimatedCents", request.estimatedCents());
        body.put("memberId", request.memberId());
        body.put("apiKeyId", request.apiKeyId());
        return transport.data(read("POST", BILLING + "/credit-check", body), CreditCheck.class);
    }

    /**
     * Admits work and reserves its estimate: the hold, or {@link InsufficientCreditException} naming the limit that
     * does not leave the amount. The idempotency key (the request's, or one generated for the call) is sent again on
     * every retry, so a retried call places one hold.
     */
    public Hold placeHold(HoldRequest request) {
        String key = request.idempotencyKey() != null ? request.idempotencyKey() : Requests.newIdempotencyKey();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orgId", request.orgId());
        body.put("memberId", request.memberId());
        body.put("apiKeyId", request.apiKeyId());
        body.put("amountCents", request.amountCents());
        body.put("ttlSeconds", request.ttlSeconds());
        body.put("idempotencyKey", key);
        body.values().removeIf(Objects::isNull);
        return transport.data(write("POST", BILLING + "/holds", body, key), Hold.class);
    }

    /** A hold as it stands. */
    public Hold hold(UUID holdId) {
        return transport.data(Call.get(BILLING + "/holds/" + Objects.requireNonNull(holdId, "holdId")), Hold.class);
    }

    /** Releases a hold: what it still reserved is available again. Releasing again answers it as it is. */
    public Hold releaseHold(UUID holdId) {
        return transport.data(new Call("DELETE", BILLING + "/holds/" + Objects.requireNonNull(holdId, "holdId"),
                null, Safety.REPEATABLE, null, false), Hold.class);
    }

    /**
     * May a workspace store {@code requestedBytes} more on top of the org's {@code currentBytes}?
     *
     * @param orgId the organization
     */
    public StorageQuota storageQuota(UUID orgId, String workspaceId, long currentBytes, long requestedBytes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orgId", Objects.requireNonNull(orgId, "orgId"));
        body.put("workspaceId", Objects.requireNonNull(workspaceId, "workspaceId"));
        body.put("currentBytes", currentBytes);
        body.put("requestedBytes", requestedBytes);
        return transport.data(read("POST", BILLING + "/storage/quota", body), StorageQuota.class);
    }

    /**
     * The price catalog in force now.
     */
    public Pricing pricing() {
        return transport.data(Call.get(BILLING + "/pricing"), Pricing.class);
    }

    /**
     * The ledger verifier over every org (an operator tool: it reads every entry).
     */
    public LedgerReport verifyLedger() {
        return transport.data(Call.get("/v1/internal/ledger/verify"), LedgerReport.class);
    }

    // ---- usage settlement

    public Charge settleModelUsage(ModelUsage usage) {
        return settleCharge(BILLING + "/model-usage", usage);
    }

    public Charge settleToolExecution(ToolExecution execution) {
        return settleCharge(BILLING + "/tool-executions", execution);
    }

    public Charge settleStorageUsage(StorageUsage usage) {
        return settleCharge(BILLING + "/storage/usage", usage);
    }

    public Charge settleResourceCharge(ResourceCharge charge) {
        return settleCharge(BILLING + "/resource-charges", charge);
    }

    /**
     * A debit of an amount the caller computed; answers with its ledger entry and the charge.
     */
    public DeductionResult deduct(Deduction deduction) {
        Deduction keyed = keyed(deduction);
        return transport.data(write("POST", BILLING + "/deductions", keyed, keyed.idempotencyKey()),
                DeductionResult.class);
    }

    /**
     * Any usage event on its own endpoint; for a {@link Deduction}, the charge part of its answer.
     */
    public Charge settle(UsageEvent event) {
        if (event instanceof ModelUsage usage) {
            return settleModelUsage(usage);
        } else if (event instanceof ToolExecution execution) {
            return settleToolExecution(execution);
        } else if (event instanceof StorageUsage usage) {
            return settleStorageUsage(usage);
        } else if (event instanceof ResourceCharge charge) {
            return settleResourceCharge(charge);
        }
        DeductionResult result = deduct((Deduction) event);
        return new Charge(result.chargedCents(), result.chargedMicros(), result.id(), result.balanceCents(),
                result.balanceMicros(), result.replayed());
    }

    /**
     * Settles 1..{@value #MAX_BATCH_EVENTS} events in one request: one {@link BatchItem} per event, in order, each
     * with the status its own endpoint would have answered; one refused event does not sink the others. Events
     * without a key get one generated here, kept for every retry of this call.
     */
    public List<BatchItem> settleBatch(List<? extends UsageEvent> events) {
        if (events.isEmpty() || events.size() > MAX_BATCH_EVENTS) {
            throw new IllegalArgumentException("a batch holds 1 to " + MAX_BATCH_EVENTS + " events");
        }
        List<byte[]> encoded = new ArrayList<>(events.size());
        for (UsageEvent event : events) {
            encoded.add(batchEventJson(keyed(event)));
        }
        return postBatch(batchBody(encoded), transport.policy());
    }

    // ---- sandbox runtime

    /**
     * The price of a size and how long the org's credit lasts at it.
     *
     * @param orgId the organization
     * @param size the sandbox size
     */
    public SandboxQuote quoteSandbox(UUID orgId, String size) {
        return quoteSandbox(orgId, size, null);
    }

    /**
     * The price of {@code seconds} of a size, and whether the credit covers them.
     *
     * @param orgId the organization
     * @param size the sandbox size
     * @param seconds runtime seconds
     */
    public SandboxQuote quoteSandbox(UUID orgId, String size, long seconds) {
        return quoteSandbox(orgId, size, Long.valueOf(seconds));
    }

    private SandboxQuote quoteSandbox(UUID orgId, String size, Long seconds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orgId", Objects.requireNonNull(orgId, "orgId"));
        body.put("size", Objects.requireNonNull(size, "size"));
        body.put("seconds", seconds);
        return transport.data(read("POST", SANDBOXES + "quote", body), SandboxQuote.class);
    }

    /**
     * Opens the sandbox's runtime meter (a repeated start with the same payload replays it).
     *
     * @param sandboxId the sandbox
     */
    public SandboxMeter startSandbox(String sandboxId, SandboxStart start) {
        SandboxStart keyed = start.idempotencyKey() != null ? start
                : start.withIdempotencyKey(Requests.newIdempotencyKey());
        return transport.data(write("POST", SANDBOXES + Requests.segment(sandboxId) + "/start", keyed,
                keyed.idempotencyKey()), SandboxMeter.class);
    }

    /**
     * The sandbox is alive now.
     *
     * @param sandboxId the sandbox
     */
    public SandboxMeter heartbeatSandbox(String sandboxId) {
        return heartbeatSandbox(sandboxId, null);
    }

    /**
     * The sandbox was seen alive at {@code at} (an older instant than the last changes nothing).
     *
     * @param sandboxId the sandbox
     * @param at the instant
     */
    public SandboxMeter heartbeatSandbox(String sandboxId, Instant at) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", at);
        return transport.data(read("POST", SANDBOXES + Requests.segment(sandboxId) + "/heartbeat", body),
                SandboxMeter.class);
    }

    /**
     * Charges settled seconds; a final settlement closes the meter.
     *
     * @param sandboxId the sandbox
     */
    public SandboxSettlement settleSandbox(String sandboxId, SandboxSettle settle) {
        SandboxSettle keyed = settle.idempotencyKey() != null ? settle
                : settle.withIdempotencyKey(Requests.newIdempotencyKey());
        return transport.data(write("POST", SANDBOXES + Requests.segment(sandboxId) + "/settle", keyed,
                keyed.idempotencyKey()), SandboxSettlement.class);
    }

    // ---- organizations, members, keys, credit

    /**
     * Creates an org; a retried creation (same key) returns the same org.
     *
     * @param org the organization
     */
    public Org createOrg(CreateOrg org) {
        CreateOrg keyed = org.idempotencyKey() != null ? org : org.withIdempotencyKey(Requests.newIdempotencyKey());
        return transport.data(write("POST", ORGS, keyed, keyed.idempotencyKey()), Org.class);
    }

    /**
     * Adds a member under a generated idempotency key, sent again on every retry, so a retried call adds one member
     * ({@link Member#replayed()} on the retry that finds it).
     *
     * @param orgId the organization
     * @param email the email address; may be null
     */
    public Member addMember(UUID orgId, String email, Role role) {
        return addMember(orgId, email, role, null);
    }

    /**
     * Adds a member under {@code idempotencyKey}: adding again with the same key (a service that provisions its users
     * at every start) returns the member the first call added; the same key with another email or role is a
     * {@link ConflictException}.
     *
     * @param idempotencyKey null = a generated one
     * @param orgId the organization
     * @param email the email address; may be null
     */
    public Member addMember(UUID orgId, String email, Role role, String idempotencyKey) {
        String key = idempotencyKey != null ? idempotencyKey : Requests.newIdempotencyKey();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("role", Objects.requireNonNull(role, "role"));
        body.put("idempotencyKey", key);
        return transport.data(write("POST", orgPath(orgId) + "/members", body, key), Member.class);
    }

    /**
     * Creates an API key; its plain key is in the answer only. The API takes no idempotency key here (a retry could
     * not return the plain key again: it is never stored), so the call is retried only when the server certainly did
     * not process it (connection refused, 429); otherwise a failure is thrown and no second key is made.
     *
     * @param orgId the organization
     */
    public CreatedApiKey createApiKey(UUID orgId, NewApiKey key) {
        return transport.data(new Call("POST", orgPath(orgId) + "/api-keys", transport.body(key), Safety.ONCE, null,
                false), CreatedApiKey.class);
    }

    /**
     * Revokes a key (revoking again answers the same {@code revokedAt}).
     *
     * @param orgId the organization
     * @param keyId the API key
     */
    public ApiKey revokeApiKey(UUID orgId, UUID keyId) {
        return transport.data(new Call("DELETE", orgPath(orgId) + "/api-keys/" + Objects.requireNonNull(keyId,
                "keyId"), null, Safety.REPEATABLE, null, false), ApiKey.class);
    }

    /**
     * Sets a key's spend caps, replacing both: a null cap is none, both null removes them. Setting values is
     * naturally idempotent, so the call is retried like a read.
     */
    public ApiKeyCap setApiKeyCap(UUID orgId, UUID keyId, Long monthlyCapCents, Long lifetimeCapCents) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("monthlyCapCents", monthlyCapCents);
        body.put("lifetimeCapCents", lifetimeCapCents);
        return transport.data(read("PUT", orgPath(orgId) + "/api-keys/" + Objects.requireNonNull(keyId, "keyId")
                + "/cap", body), ApiKeyCap.class);
    }

    /**
     * @param orgId the organization
     */
    public Entry grantCredit(UUID orgId, Grant grant) {
        Grant keyed = grant.idempotencyKey() != null ? grant
                : grant.withIdempotencyKey(Requests.newIdempotencyKey());
        return transport.data(write("POST", orgPath(orgId) + "/grants", keyed, keyed.idempotencyKey()), Entry.class);
    }

    /**
     * A signed manual correction with a reason.
     *
     * @param orgId the organization
     */
    public Entry adjustCredit(UUID orgId, Adjustment adjustment) {
        Adjustment keyed = adjustment.idempotencyKey() != null ? adjustment
                : adjustment.withIdempotencyKey(Requests.newIdempotencyKey());
        return transport.data(write("POST", orgPath(orgId) + "/adjustments", keyed, keyed.idempotencyKey()),
                Entry.class);
    }

    // ---- shared with the UsageReporter

    /** One batch request of already-encoded events, retried by {@code policy}. */
    List<BatchItem> postBatch(byte[] body, RetryPolicy policy) {
        return transport.sendList(new Call("POST", BATCH_PATH, body, Safety.REPEATABLE, null, false),
                BatchItem.class, policy).data();
    }

    /** The retry policy of this client (the reporter takes its attempt timeout). */
    RetryPolicy retryPolicy() {
        return transport.policy();
    }

    /** An event as a batch element: {@code {"type": <kind>, …its endpoint's body}}, as UTF-8 JSON. */
    static byte[] batchEventJson(UsageEvent event) {
        byte[] fields;
        try {
            fields = ClientJson.MAPPER.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the event as JSON: " + e.getMessage(), e);
        }
        byte[] type = ("{\"type\":\"" + event.batchType() + "\",").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] json = new byte[type.length + fields.length - 1];
        System.arraycopy(type, 0, json, 0, type.length);
        System.arraycopy(fields, 1, json, type.length, fields.length - 1);
        return json;
    }

    /** {@code {"events":[e1,e2,…]}}. */
    static byte[] batchBody(List<byte[]> events) {
        int size = 13;
        for (byte[] event : events) {
            size += event.length + 1;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(size);
        body.writeBytes("{\"events\":[".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(events.get(i));
        }
        body.writeBytes("]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    /** The event with its own key, or a fresh one. */
    static UsageEvent keyed(UsageEvent event) {
        return event.idempotencyKey() != null ? event : event.withIdempotencyKey(Requests.newIdempotencyKey());
    }

    private static Deduction keyed(Deduction deduction) {
        return deduction.idempotencyKey() != null ? deduction
                : deduction.withIdempotencyKey(Requests.newIdempotencyKey());
    }

    private Charge settleCharge(String path, UsageEvent event) {
        UsageEvent keyed = keyed(event);
        return transport.data(write("POST", path, keyed, keyed.idempotencyKey()), Charge.class);
    }

    private Call write(String method, String path, Object body, String key) {
        return new Call(method, path, transport.body(body), Safety.REPEATABLE, key, false);
    }

    /** A POST that reads (a gate, a quote) or is naturally idempotent (a heartbeat): retried freely. */
    private Call read(String method, String path, Map<String, Object> body) {
        body.values().removeIf(Objects::isNull);
        return new Call(method, path, transport.body(body), Safety.REPEATABLE, null, false);
    }

    private static String orgPath(UUID orgId) {
        return ORGS + "/" + Objects.requireNonNull(orgId, "orgId");
    }
}
