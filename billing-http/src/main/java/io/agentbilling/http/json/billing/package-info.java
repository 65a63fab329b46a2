/**
 * Request and response records of the public billing API (spec/API.md Part A) and the Stripe webhook (Part C).
 * Each view maps a core result with one static {@code of(…)}; money follows API.md §0: balances round toward
 * negative infinity, single amounts half-even, and a {@code …Micros} sibling carries the exact amount where a
 * client may need it. The decisions where API.md is silent are in {@code docs/API-NOTES.md}.
 */
package io.agentbilling.http.json.billing;
