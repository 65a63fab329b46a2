package io.agentbilling.http.auth;

import io.javalin.security.RouteRole;

/**
 * Who may call a route (spec/API.md §1). Every route declares exactly one; the server checks it in
 * {@code beforeMatched}, before the handler runs.
 */
public enum Access implements RouteRole {
    /** No credential at all: health, readiness, metrics, OpenAPI, the Stripe webhook, the local checkout page. */
    PUBLIC_NONE,
    /** An API key ({@code X-API-Key} or {@code Authorization: Bearer}) of any member of the org. */
    MEMBER,
    /** An API key of an org admin; a member's key gets 403 {@code forbidden}. */
    ADMIN,
    /** A service credential in {@code X-Internal-Secret}; API keys are never accepted here. */
    INTERNAL,
    /**
     * A sign-in session cookie only (the billing page's own session routes); API keys count as no credential here.
     * Writes need the session's CSRF token in {@code X-CSRF-Token}.
     */
    SESSION
}
