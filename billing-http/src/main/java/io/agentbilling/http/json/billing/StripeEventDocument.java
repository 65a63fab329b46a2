package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import java.util.Map;

/**
 * Documents the webhook's body for OpenAPI only: the route verifies the signature over the raw bytes and never
 * binds them to this record.
 */
@JsonClassDescription("A Stripe event as Stripe sends it (only the fields the server reads are listed)")
public record StripeEventDocument(String id, String type, Map<String, Object> data) {
}
