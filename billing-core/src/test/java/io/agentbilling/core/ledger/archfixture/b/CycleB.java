package io.agentbilling.core.ledger.archfixture.b;

import io.agentbilling.core.ledger.archfixture.a.CycleA;

/** The other half of a package cycle (ArchitectureTest). */
public final class CycleB {
    public CycleA other() {
        return null;
    }
}
