/**
 * Requests and answers of the service-to-service API ({@code /v1/internal/…}, docs/API.md Part B), for
 * {@link io.agentbilling.client.BillingServiceClient} and {@link io.agentbilling.client.UsageReporter}. Requests are
 * records with a static {@code of(…)} for the required fields and {@code with…} for the optional ones; a null field is
 * left out of the request (the server's default applies). Answers carry every field the API documents, amounts in
 * cents and, where the API gives them, exact micros (millionths of a cent).
 */
package io.agentbilling.client.service;
