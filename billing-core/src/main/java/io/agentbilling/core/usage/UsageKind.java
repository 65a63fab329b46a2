package io.agentbilling.core.usage;

/** The customer-facing kinds of usage that the report (API.md A4) breaks down. */
public enum UsageKind {
    /** A model call; key = model id. */
    MODEL("model"),
    /** Sandbox runtime seconds; key = sandbox size. */
    SANDBOX("sandbox"),
    /** Workspace storage byte-seconds; key = workspace id. */
    STORAGE("storage"),
    /** Tool executions; key = tool name. */
    TOOL("tool"),
    /** Any other resource-level charge (code execution, generic deductions); key = resource name. */
    RESOURCE("resource");

    private final String wireName;

    UsageKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
