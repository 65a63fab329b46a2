/**
 * Requests and answers of the public billing API ({@code /v1/billing/…}, docs/API.md Part A), for
 * {@link io.agentbilling.client.BillingClient}. Field names are the API's; amounts are integer cents, with an exact
 * {@code …Micros} sibling (millionths of a cent) where the API gives one.
 */
package io.agentbilling.client.billing;
