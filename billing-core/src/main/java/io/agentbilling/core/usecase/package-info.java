/**
 * The engine's API: one class per use case, each with its command and result types, all built by
 * {@link io.agentbilling.core.Billing}. Commands of more than a few fields are built by name
 * ({@code Command.builder()…build()}); reads of an org's state take a {@link io.agentbilling.core.access.Caller} (a
 * member acting through a key, checked against the org) or an org id ({@code forOrg}, {@code forMember}) for a
 * service that acts for the platform.
 *
 * <p>A use case either returns its result or throws {@link io.agentbilling.core.error.BillingException}, whose
 * {@link io.agentbilling.core.error.BillingException#error() error} is a {@link io.agentbilling.core.error.BillingError}
 * (the HTTP API's {@code code}). Each method documents the errors it decides; besides those, any use case that reads
 * or writes may throw {@code UNAVAILABLE} when the database cannot be reached (nothing was written; retry, with the
 * same idempotency key for a write) and {@code INTERNAL} for a failure that is a bug, never a refusal of the input.
 * Validation failures are {@code BAD_REQUEST} and name the fields at fault in
 * {@link io.agentbilling.core.error.BillingException#details()}.
 */
package io.agentbilling.core.usecase;
