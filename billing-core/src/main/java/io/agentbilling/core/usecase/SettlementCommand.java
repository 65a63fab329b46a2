package io.agentbilling.core.usecase;

import io.agentbilling.core.access.OrgId;

/**
 * A usage event that settles through the ledger in one posting: the commands of the single-settlement use cases,
 * which {@link SettleUsageBatch} also takes in any mix. Commands are plain data; {@link SettlementPricer} validates
 * and prices them one by one, so that a bad event can be refused on its own.
 */
public sealed interface SettlementCommand permits SettleModelUsage.Command, SettleToolExecution.Command,
        SettleStorageUsage.Command, SettleResourceCharge.Command, SettleDeduction.Command {

    OrgId orgId();

    String idempotencyKey();
}
