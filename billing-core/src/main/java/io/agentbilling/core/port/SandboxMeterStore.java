package io.agentbilling.core.port;

/** Sandbox runtime meters (start, heartbeat, settle). */
public interface SandboxMeterStore {
}
