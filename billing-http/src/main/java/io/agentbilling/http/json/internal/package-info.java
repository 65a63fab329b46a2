/**
 * Request and response records of the service-to-service API (spec/API.md Part B, {@code /v1/internal/…}), and
 * their mapping to and from the core's commands and results. Decisions where the spec is silent are in
 * docs/API-NOTES.md ("Service-to-service API").
 */
package io.agentbilling.http.json.internal;
