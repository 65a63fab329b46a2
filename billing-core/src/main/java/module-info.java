/**
 * The billing engine: its domain (money, ledger, usage, pricing, payments, access), its ports and its use cases,
 * wired by {@link io.agentbilling.core.Billing}. Depends on the JDK only.
 *
 * <p>Every exported package is API. The settlement engine ({@code io.agentbilling.core.settlement.internal}) is not:
 * it is exported only to the test kit, whose ledger contract drives it directly. Nor is the spend controls' part of
 * every posting ({@code io.agentbilling.core.spendcontrol}), which {@link io.agentbilling.core.Billing} wires.
 */
module io.agentbilling.core {
    exports io.agentbilling.core;
    exports io.agentbilling.core.access;
    exports io.agentbilling.core.error;
    exports io.agentbilling.core.ledger;
    exports io.agentbilling.core.money;
    exports io.agentbilling.core.payment;
    exports io.agentbilling.core.port;
    exports io.agentbilling.core.pricing;
    exports io.agentbilling.core.settlement;
    exports io.agentbilling.core.spend;
    exports io.agentbilling.core.usage;
    exports io.agentbilling.core.usecase;
    exports io.agentbilling.core.webhooks;

    exports io.agentbilling.core.settlement.internal to io.agentbilling.testkit;
}
