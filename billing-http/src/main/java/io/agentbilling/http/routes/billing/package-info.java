/**
 * The public billing API (spec/API.md Part A) and the Stripe webhook (Part C): route groups built with the use
 * cases they call. Each route parses and checks the request's shape, calls one use case and maps its result to a
 * view of {@code io.agentbilling.http.json.billing}; every business rule stays in the core.
 */
package io.agentbilling.http.routes.billing;
