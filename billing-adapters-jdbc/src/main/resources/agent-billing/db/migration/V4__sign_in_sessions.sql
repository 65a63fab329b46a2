-- Sign-in sessions (the billing page): a session token stands in for the API key it was opened with, so the key is
-- never kept by the browser. Only the token's SHA-256 hash is stored. The session is usable while it is open and the
-- key (api_keys row) is active, which is checked on every use by reading both: a revoked key ends its sessions.
-- Lookups are by token hash without an org (like api_keys.key_hash): see DESIGN.md, "Global lookups".
CREATE TABLE sign_in_sessions (
    org_id      uuid        NOT NULL,
    token_hash  text        NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    member_id   uuid        NOT NULL,
    key_id      uuid        NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL CHECK (expires_at > created_at),
    ended_at    timestamptz,
    PRIMARY KEY (org_id, token_hash),
    FOREIGN KEY (org_id, key_id) REFERENCES api_keys (org_id, key_id),
    FOREIGN KEY (org_id, member_id) REFERENCES members (org_id, member_id)
);

-- Sign-in deletes the org's sessions closed long ago.
CREATE INDEX sign_in_sessions_expiry ON sign_in_sessions (org_id, expires_at);
