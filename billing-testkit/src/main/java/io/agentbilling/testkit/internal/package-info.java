/**
 * Helpers of the port contracts that drive the engine's internals (not exported): a posting engine over a store,
 * for the ledger contract and for this project's own tests.
 */
package io.agentbilling.testkit.internal;
