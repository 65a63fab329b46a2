/**
 * For tests of code that uses the billing engine: in-memory adapters of every port, a controllable clock, a fake
 * payment gateway ({@code io.agentbilling.testkit}), and the abstract port contracts that any adapter must pass
 * ({@code io.agentbilling.testkit.contract}).
 */
module io.agentbilling.testkit {
    requires transitive io.agentbilling.core;
    requires transitive org.junit.jupiter.api;
    requires org.assertj.core;

    exports io.agentbilling.testkit;
    exports io.agentbilling.testkit.contract;
    // JUnit runs the contracts' test methods reflectively in a subclass the adapter's author writes.
    opens io.agentbilling.testkit.contract to org.junit.platform.commons;
}
