package io.agentbilling.core.ledger;

/** Where a grant lot came from. Sign-up credit is the org's "free credit" of API.md A2. */
public enum GrantKind {
    SIGNUP,
    PROMOTIONAL
}
