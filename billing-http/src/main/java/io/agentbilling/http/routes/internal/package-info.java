/**
 * The service-to-service routes (spec/API.md Part B, {@code /v1/internal/…}), all {@code Access.INTERNAL}: the
 * platform's own services settle usage, ask the credit gates and administer orgs here with {@code X-Internal-Secret}.
 * Their JSON records are in {@code io.agentbilling.http.json.internal}; decisions in docs/API-NOTES.md.
 */
package io.agentbilling.http.routes.internal;
