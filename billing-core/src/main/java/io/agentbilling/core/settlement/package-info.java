/**
 * The settlement path's settings and metrics: {@link io.agentbilling.core.settlement.GroupCommitLimits} (how
 * concurrent settlements are coalesced into one transaction per batch) and
 * {@link io.agentbilling.core.settlement.SettlementMetrics}. The engine that posts settlements lives in
 * {@code io.agentbilling.core.settlement.internal}, which is not part of the API.
 */
package io.agentbilling.core.settlement;
