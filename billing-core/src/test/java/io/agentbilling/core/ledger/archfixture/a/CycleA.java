package io.agentbilling.core.ledger.archfixture.a;

import io.agentbilling.core.ledger.archfixture.b.CycleB;

/** One half of a package cycle (ArchitectureTest). */
public final class CycleA {
    public CycleB other() {
        return null;
    }
}
