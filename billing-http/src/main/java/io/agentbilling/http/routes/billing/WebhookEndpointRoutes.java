package io.agentbilling.http.routes.billing;

import io.agentbilling.core.usecase.CreateWebhookEndpoint;
import io.agentbilling.core.usecase.ManageWebhookEndpoints;
import io.agentbilling.core.webhooks.WebhookDeliveryId;
import io.agentbilling.core.webhooks.WebhookEndpointId;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.core.error.FieldIssue;
import io.agentbilling.http.auth.Access;
import io.agentbilling.http.errors.ApiException;
import io.agentbilling.http.json.Json;
import io.agentbilling.http.auth.AuthContext;
import io.agentbilling.http.errors.ErrorCode;
import io.agentbilling.http.json.billing.CreatedWebhookEndpointView;
import io.agentbilling.http.json.billing.RetryDeliveryRequest;
import io.agentbilling.http.json.billing.WebhookDeliveryView;
import io.agentbilling.http.json.billing.WebhookEndpointRequest;
import io.agentbilling.http.json.billing.WebhookEndpointView;
import io.agentbilling.http.routes.Idempotency;
import io.agentbilling.http.routes.ParamType;
import io.agentbilling.http.routes.Params;
import io.agentbilling.http.routes.Reply;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.routes.RouteRegistry;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Outbound webhooks: an admin registers the org's endpoints (the signing secret is answered once), lists and deletes
 * them, reads each endpoint's deliveries with their attempts, and queues a delivery again. Thread-safe.
 */
public final class WebhookEndpointRoutes implements RouteGroup {
    private static final String TAG = "webhooks";
    private static final String ENDPOINT_ID_DOC = "The endpoint's id";

    private final CreateWebhookEndpoint createEndpoint;
    private final ManageWebhookEndpoints endpoints;

    public WebhookEndpointRoutes(CreateWebhookEndpoint createEndpoint, ManageWebhookEndpoints endpoints) {
        this.createEndpoint = Objects.requireNonNull(createEndpoint, "createEndpoint");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    }

    @Override
    public void addTo(RouteRegistry routes) {
        routes.post("/v1/billing/webhook-endpoints", Access.ADMIN)
                .summary("Register a webhook endpoint").tag(TAG)
                .description("201 with the endpoint and its signing secret, which is never shown again. Each event "
                        + "is POSTed with Billing-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\" "
                        + "keyed with the secret>, delivered at least once (retried with exponential backoff for up "
                        + "to 3 days until the endpoint answers 2xx); deduplicate by the event's id. A URL on a "
                        + "private, loopback or link-local address is 400 unless the operator allows them. At most "
                        + CreateWebhookEndpoint.MAX_ENDPOINTS_PER_ORG + " endpoints per organization (422).")
                .header(Idempotency.HEADER, "Optional, 1-255 characters: a retry with the same key and body "
                        + "returns the same endpoint and secret (200 with Idempotent-Replayed: true, even once the "
                        + "endpoint is deleted); another body under the key is 409")
                .errors(ErrorCode.NOT_FOUND, ErrorCode.UNPROCESSABLE, ErrorCode.IDEMPOTENCY_CONFLICT)
                .status(201)
                .returns(CreatedWebhookEndpointView.class)
                .handle(WebhookEndpointRequest.class, (ctx, body) -> {
                    CreateWebhookEndpoint.Created created = createEndpoint.execute(
                            body.toCommand(AuthContext.caller(ctx), Idempotency.key(ctx, null)));
                    return Idempotency.reply(CreatedWebhookEndpointView.of(created), created.replayed());
                });
        routes.get("/v1/billing/webhook-endpoints", Access.ADMIN)
                .summary("List webhook endpoints").tag(TAG)
                .description("The organization's live endpoints, oldest first.")
                .query("orgId", ParamType.UUID, PlanAndCreditRoutes.ORG_ID_DOC)
                .returnsList(WebhookEndpointView.class)
                .handle(ctx -> Reply.list(endpoints.list(AuthContext.caller(ctx), Params.org(ctx)).stream()
                        .map(WebhookEndpointView::of).toList()));
        routes.get("/v1/billing/webhook-endpoints/{endpointId}", Access.ADMIN)
                .summary("Read a webhook endpoint").tag(TAG)
                .pathParam("endpointId", ParamType.UUID, ENDPOINT_ID_DOC)
                .errors(ErrorCode.NOT_FOUND)
                .returns(WebhookEndpointView.class)
                .handle(ctx -> Reply.ok(WebhookEndpointView.of(endpoints.get(AuthContext.caller(ctx),
                        endpointId(ctx)))));
        routes.delete("/v1/billing/webhook-endpoints/{endpointId}", Access.ADMIN)
                .summary("Delete a webhook endpoint").tag(TAG)
                .description("Nothing more is sent to it, and its pending deliveries are canceled; its delivery "
                        + "history stays readable. Deleting it again answers the same.")
                .pathParam("endpointId", ParamType.UUID, ENDPOINT_ID_DOC)
                .errors(ErrorCode.NOT_FOUND)
                .returns(WebhookEndpointView.class)
                .handle(ctx -> Reply.ok(WebhookEndpointView.of(endpoints.delete(AuthContext.caller(ctx),
                        endpointId(ctx)))));
        routes.get("/v1/billing/webhook-endpoints/{endpointId}/deliveries", Access.ADMIN)
                .summary("An endpoint's deliveries").tag(TAG)
                .description("Newest first, a page at a time (pass meta.nextCursor as cursor), each with its "
                        + "status, last response code and every attempt.")
                .pathParam("endpointId", ParamType.UUID, ENDPOINT_ID_DOC)
                .query("limit", ParamType.INTEGER, "Deliveries per page, 1.." + ManageWebhookEndpoints.MAX_PAGE
                        + " (default " + ManageWebhookEndpoints.DEFAULT_PAGE + ")")
                .query("cursor", ParamType.STRING, "Opaque: meta.nextCursor of the previous page")
                .errors(ErrorCode.NOT_FOUND)
                .returnsList(WebhookDeliveryView.class)
                .handle(ctx -> {
                    Integer limit = Params.integer(ctx, "limit", 1, ManageWebhookEndpoints.MAX_PAGE)
                            .map(Long::intValue).orElse(null);
                    ManageWebhookEndpoints.Page page = endpoints.deliveries(AuthContext.caller(ctx),
                            endpointId(ctx), limit, Params.string(ctx, "cursor").orElse(null));
                    return Reply.list(page.deliveries().stream().map(WebhookDeliveryView::of).toList(),
                            page.hasMore(), page.nextCursor());
                });
        routes.post("/v1/billing/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/retry", Access.ADMIN)
                .summary("Send a delivery again").tag(TAG)
                .description("Queues the delivery to be sent now, whatever its state, with a fresh 3-day retry "
                        + "window; the event keeps its id. 409 for a delivery canceled by the endpoint's deletion, "
                        + "and while an attempt of it is being sent (retry once the attempt is in its history).")
                .pathParam("endpointId", ParamType.UUID, ENDPOINT_ID_DOC)
                .pathParam("deliveryId", ParamType.UUID, "The delivery's id")
                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                .documentsBody(RetryDeliveryRequest.class)
                .returns(WebhookDeliveryView.class)
                .handle(ctx -> {
                    requireEmptyObject(ctx);
                    return Reply.ok(WebhookDeliveryView.of(endpoints.retry(AuthContext.caller(ctx), endpointId(ctx),
                            new WebhookDeliveryId(Params.pathUuid(ctx, "deliveryId")))));
                });
    }

    /**
     * The retry's body is {@code {}}: read whole first, so that malformed JSON is refused as such, then any field
     * named (none is known).
     */
    private static void requireEmptyObject(Context ctx) {
        JsonNode body = Json.parse(ctx, JsonNode.class);
        if (!body.isObject()) {
            throw ApiException.of(ErrorCode.BAD_REQUEST, "body must be a JSON object",
                    List.of(new FieldIssue("body", "must be a JSON object")));
        }
        Iterator<String> fields = body.fieldNames();
        if (fields.hasNext()) {
            String field = fields.next();
            throw ApiException.of(ErrorCode.BAD_REQUEST, field + " is not a known field",
                    List.of(new FieldIssue(field, "is not a known field")));
        }
    }

    private static WebhookEndpointId endpointId(Context ctx) {
        return new WebhookEndpointId(Params.pathUuid(ctx, "endpointId"));
    }
}
