package io.agentbilling.core.usage;

/** The life of a sandbox runtime meter. */
public enum MeterStatus {
    /** Running: heartbeats arrive and the caller settles as it goes. */
    ACTIVE,
    /** Silent past the heartbeat timeout: awaiting its final settlement (by the caller, or by the sweeper). */
    PENDING,
    /** Closed: finally settled; takes no more heartbeats or settlements. */
    SETTLED
}
