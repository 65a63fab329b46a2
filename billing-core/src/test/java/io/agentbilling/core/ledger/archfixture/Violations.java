package io.agentbilling.core.ledger.archfixture;

import io.agentbilling.core.port.Stores;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;

/** Classes that break the core's architecture rules, to prove that each rule can fail (ArchitectureTest). */
public final class Violations {
    private Violations() {}

    /** A ledger rule that reaches for a port. */
    public static final class LedgerRuleUsingAPort {
        public Object read(Stores stores) {
            return stores.ledger();
        }
    }

    /** A ledger rule that queues work. */
    public static final class LedgerRuleWithAQueue {
        final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(1);
    }

    /** A rule that reads the wall clock instead of the clock it is given. */
    public static final class ReadsTheSystemClock {
        public Instant now() {
            return Instant.now();
        }
    }
}
