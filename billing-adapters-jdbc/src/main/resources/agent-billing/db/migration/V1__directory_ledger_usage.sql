-- Directory, ledger and usage rollups.
--
-- Rules (DESIGN.md "Persistence"): every table that belongs to an org leads with org_id, so the schema can be
-- distributed by org_id (Citus) without redesign; nothing relies on a global sequence (entries are numbered per org);
-- money is bigint micros (millionths of a cent); the ledger is append-only, enforced by a trigger.

CREATE TABLE orgs (
    org_id      uuid        PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    plan        text        NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE TABLE members (
    org_id      uuid        NOT NULL REFERENCES orgs (org_id),
    member_id   uuid        NOT NULL,
    email       text,
    role        text        NOT NULL CHECK (role IN ('admin', 'member')),
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (org_id, member_id)
);

-- Keys are looked up by hash without knowing the org; on a distributed database this table becomes a reference
-- table (it is small and read-mostly).
CREATE TABLE api_keys (
    org_id          uuid        NOT NULL,
    key_id          uuid        NOT NULL,
    member_id       uuid        NOT NULL,
    name            text        NOT NULL,
    key_hash        text        NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    display_prefix  text        NOT NULL,
    test            boolean     NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz,
    revoked_at      timestamptz,
    PRIMARY KEY (org_id, key_id),
    FOREIGN KEY (org_id, member_id) REFERENCES members (org_id, member_id)
);

-- One row per org: the balance and running totals, moved by the same transaction that appends the entries.
CREATE TABLE accounts (
    org_id                   uuid        PRIMARY KEY REFERENCES orgs (org_id),
    balance_micros           bigint      NOT NULL,
    granted_micros           bigint      NOT NULL CHECK (granted_micros >= 0),
    used_micros              bigint      NOT NULL,
    expired_micros           bigint      NOT NULL CHECK (expired_micros >= 0),
    refunded_to_card_micros  bigint      NOT NULL CHECK (refunded_to_card_micros >= 0),
    last_sequence            bigint      NOT NULL CHECK (last_sequence >= 0),
    updated_at               timestamptz NOT NULL,
    CHECK (balance_micros = granted_micros - used_micros - expired_micros - refunded_to_card_micros)
);

CREATE TABLE ledger_entries (
    org_id                uuid        NOT NULL,
    sequence              bigint      NOT NULL CHECK (sequence >= 1),
    entry_id              uuid        NOT NULL,
    type                  text        NOT NULL CHECK (type IN ('grant', 'signup_grant', 'topup', 'auto_topup',
                                                                'usage', 'refund', 'adjustment', 'expiry', 'reversal')),
    amount_micros         bigint      NOT NULL,
    balance_after_micros  bigint      NOT NULL,
    resource              text        NOT NULL DEFAULT '',
    description           text        NOT NULL DEFAULT '',
    reference_id          text        NOT NULL DEFAULT '',
    member_id             uuid,
    idempotency_key       text        NOT NULL,
    created_at            timestamptz NOT NULL,
    PRIMARY KEY (org_id, sequence),
    UNIQUE (org_id, entry_id)
);

CREATE INDEX ledger_entries_by_time ON ledger_entries (org_id, created_at);

CREATE FUNCTION ledger_entries_are_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only: % refused', TG_OP USING ERRCODE = 'P0001';
END;
$$;

CREATE TRIGGER ledger_entries_append_only
    BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_are_append_only();

-- Grant lots: granted (non-purchased) credit and what is left of it.
CREATE TABLE credit_grants (
    org_id            uuid        NOT NULL,
    grant_id          uuid        NOT NULL,
    kind              text        NOT NULL CHECK (kind IN ('signup', 'promotional')),
    amount_micros     bigint      NOT NULL CHECK (amount_micros > 0),
    remaining_micros  bigint      NOT NULL CHECK (remaining_micros >= 0 AND remaining_micros <= amount_micros),
    granted_at        timestamptz NOT NULL,
    expires_at        timestamptz,
    closed            boolean     NOT NULL,
    PRIMARY KEY (org_id, grant_id)
);

CREATE INDEX credit_grants_open ON credit_grants (org_id) WHERE NOT closed;
CREATE INDEX credit_grants_due ON credit_grants (expires_at) WHERE NOT closed AND expires_at IS NOT NULL;

-- Idempotency keys, claimed by INSERT … ON CONFLICT DO NOTHING (the unique primary key is the arbiter), kept forever.
-- org_id is the nil uuid for keys scoped to no org (org creation).
CREATE TABLE idempotency_keys (
    org_id                uuid        NOT NULL,
    key                   text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    fingerprint           text        NOT NULL,
    entry_id              uuid,
    amount_micros         bigint      NOT NULL,
    balance_after_micros  bigint      NOT NULL,
    result_ref            text,
    created_at            timestamptz NOT NULL,
    PRIMARY KEY (org_id, key)
);

-- Usage rollups per org, UTC day and cell, upserted in the settlement transaction; reports read these, never raw
-- events. member_id is the nil uuid for usage not attributed to a member.
CREATE TABLE usage_daily (
    org_id               uuid    NOT NULL,
    day                  date    NOT NULL,
    member_id            uuid    NOT NULL,
    kind                 text    NOT NULL CHECK (kind IN ('model', 'sandbox', 'storage', 'tool', 'resource')),
    key                  text    NOT NULL,
    byok                 boolean NOT NULL,
    unit                 text    NOT NULL,
    count                bigint  NOT NULL CHECK (count >= 0),
    input_tokens         bigint  NOT NULL CHECK (input_tokens >= 0),
    output_tokens        bigint  NOT NULL CHECK (output_tokens >= 0),
    cached_input_tokens  bigint  NOT NULL CHECK (cached_input_tokens >= 0),
    quantity             bigint  NOT NULL CHECK (quantity >= 0),
    forgiven_quantity    bigint  NOT NULL CHECK (forgiven_quantity >= 0),
    cost_micros          bigint  NOT NULL,
    PRIMARY KEY (org_id, day, member_id, kind, key, byok, unit)
);

CREATE INDEX usage_daily_by_member ON usage_daily (org_id, member_id, day);
