package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;

/**
 * The body of {@code POST /v1/billing/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/retry}: an empty
 * object. Like every other POST of the API it is JSON, so that a malformed body is refused rather than ignored.
 */
@JsonClassDescription("No fields: send {}")
public record RetryDeliveryRequest() {
}
