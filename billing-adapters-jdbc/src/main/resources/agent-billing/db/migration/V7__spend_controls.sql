-- Spend controls: org spend settings, member budgets, API-key caps and spend counters, holds; outbound webhooks
-- (endpoints, the event outbox, deliveries and their attempts); auto top-up's amount rule (mode, target, monthly cap).
--
-- Same rules as V1/V2: org tables lead with org_id; inserts that may race are INSERT … ON CONFLICT on a unique
-- constraint. Money the ledger counts is bigint micros; auto top-up amounts stay whole cents like the rest of V2.
-- Limits are written and read under the org's account lock (ledger_accounts), which every admission and settlement
-- of the org takes first, so the counters below never need a lock of their own.

CREATE TABLE spend_settings (
    org_id                         uuid        PRIMARY KEY REFERENCES orgs (org_id),
    count_byok_toward_budgets      boolean     NOT NULL,
    balance_low_threshold_micros   bigint      CHECK (balance_low_threshold_micros >= 0),
    updated_at                     timestamptz
);

CREATE TABLE member_budgets (
    org_id                uuid        NOT NULL REFERENCES orgs (org_id),
    member_id             uuid        NOT NULL,
    monthly_limit_micros  bigint      CHECK (monthly_limit_micros >= 0),
    daily_limit_micros    bigint      CHECK (daily_limit_micros >= 0),
    updated_at            timestamptz NOT NULL,
    PRIMARY KEY (org_id, member_id),
    CHECK (monthly_limit_micros IS NOT NULL OR daily_limit_micros IS NOT NULL)
);

CREATE TABLE api_key_caps (
    org_id                 uuid        NOT NULL REFERENCES orgs (org_id),
    key_id                 uuid        NOT NULL,
    monthly_limit_micros   bigint      CHECK (monthly_limit_micros >= 0),
    lifetime_limit_micros  bigint      CHECK (lifetime_limit_micros >= 0),
    updated_at             timestamptz NOT NULL,
    PRIMARY KEY (org_id, key_id),
    CHECK (monthly_limit_micros IS NOT NULL OR lifetime_limit_micros IS NOT NULL)
);

-- What settlements charged through each key per UTC month, and what its BYOK calls would have cost at list price
-- (list-price sums saturate at the bigint maximum rather than fail a settlement).
CREATE TABLE api_key_spend_monthly (
    org_id          uuid    NOT NULL REFERENCES orgs (org_id),
    key_id          uuid    NOT NULL,
    month_start     date    NOT NULL CHECK (extract(day FROM month_start) = 1),
    charged_micros  bigint  NOT NULL,
    byok_micros     bigint  NOT NULL CHECK (byok_micros >= 0),
    PRIMARY KEY (org_id, key_id, month_start)
);

-- A member's BYOK calls at list price per UTC day (their charged spend comes from usage_daily).
CREATE TABLE member_byok_spend_daily (
    org_id       uuid    NOT NULL REFERENCES orgs (org_id),
    member_id    uuid    NOT NULL,
    day          date    NOT NULL,
    byok_micros  bigint  NOT NULL CHECK (byok_micros >= 0),
    PRIMARY KEY (org_id, member_id, day)
);

-- Unique by (org, hold id), and by (org, idempotency key), the arbiter of a retried placement. Ids are random UUIDs;
-- like every key of an org table they lead with org_id (one unique key per shard on a distributed database).
CREATE TABLE holds (
    org_id           uuid        NOT NULL REFERENCES orgs (org_id),
    hold_id          uuid        NOT NULL,
    member_id        uuid,
    api_key_id       uuid,
    amount_micros    bigint      NOT NULL CHECK (amount_micros > 0),
    captured_micros  bigint      NOT NULL CHECK (captured_micros >= 0),
    status           text        NOT NULL CHECK (status IN ('active', 'captured', 'released', 'expired')),
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL CHECK (expires_at > created_at),
    closed_at        timestamptz,
    idempotency_key  text        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    fingerprint      text        NOT NULL,
    sandbox_id       text,
    PRIMARY KEY (org_id, hold_id),
    UNIQUE (org_id, idempotency_key),
    CHECK ((status = 'active') = (closed_at IS NULL))
);

-- Active holds are few against closed ones: the sums admissions read and the expiry sweep scan only these.
CREATE INDEX holds_active ON holds (org_id, expires_at) WHERE status = 'active';
CREATE INDEX holds_due ON holds (expires_at, org_id) WHERE status = 'active';
-- Release and read name the hold alone (the id is a random UUID): on a distributed database that lookup fans out.
CREATE INDEX holds_by_id ON holds (hold_id);
CREATE INDEX holds_by_sandbox ON holds (org_id, sandbox_id) WHERE status = 'active' AND sandbox_id IS NOT NULL;

CREATE TABLE webhook_endpoints (
    org_id         uuid        NOT NULL REFERENCES orgs (org_id),
    endpoint_id    uuid        NOT NULL,
    url            text        NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
    events         text[]      NOT NULL CHECK (cardinality(events) > 0),
    sealed_secret  text        NOT NULL,
    created_at     timestamptz NOT NULL,
    deleted_at     timestamptz,
    PRIMARY KEY (org_id, endpoint_id)
);

-- The outbox: one row per event, written in the transaction of its cause; the id is derived from the cause, so the
-- same cause recorded twice is one event.
CREATE TABLE webhook_events (
    org_id      uuid        NOT NULL REFERENCES orgs (org_id),
    event_id    text        NOT NULL,
    type        text        NOT NULL,
    created_at  timestamptz NOT NULL,
    body        text        NOT NULL,
    PRIMARY KEY (org_id, event_id)
);

CREATE TABLE webhook_deliveries (
    org_id              uuid        NOT NULL REFERENCES orgs (org_id),
    delivery_id         uuid        NOT NULL,
    endpoint_id         uuid        NOT NULL,
    event_id            text        NOT NULL,
    event_type          text        NOT NULL,
    status              text        NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled')),
    attempts            integer     NOT NULL CHECK (attempts >= 0),
    next_attempt_at     timestamptz NOT NULL,
    give_up_at          timestamptz NOT NULL,
    last_attempt_at     timestamptz,
    last_response_code  integer,
    last_error          text,
    created_at          timestamptz NOT NULL,
    delivered_at        timestamptz,
    PRIMARY KEY (org_id, delivery_id),
    FOREIGN KEY (org_id, endpoint_id) REFERENCES webhook_endpoints (org_id, endpoint_id),
    FOREIGN KEY (org_id, event_id) REFERENCES webhook_events (org_id, event_id)
);

-- The worker's scan across orgs; settled deliveries, which pile up, stay out of it.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, delivery_id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (org_id, endpoint_id, created_at, delivery_id);

CREATE TABLE webhook_delivery_attempts (
    org_id           uuid        NOT NULL REFERENCES orgs (org_id),
    delivery_id      uuid        NOT NULL,
    number           integer     NOT NULL CHECK (number >= 1),
    attempted_at     timestamptz NOT NULL,
    response_code    integer,
    error            text,
    duration_millis  bigint      NOT NULL CHECK (duration_millis >= 0),
    PRIMARY KEY (org_id, delivery_id, number),
    FOREIGN KEY (org_id, delivery_id) REFERENCES webhook_deliveries (org_id, delivery_id)
);

ALTER TABLE auto_topup_settings
    ADD COLUMN mode                  text   NOT NULL DEFAULT 'fixed' CHECK (mode IN ('fixed', 'target_balance')),
    ADD COLUMN target_balance_cents  bigint CHECK (target_balance_cents > 0),
    ADD COLUMN monthly_cap_cents     bigint CHECK (monthly_cap_cents >= 0),
    ADD CONSTRAINT auto_topup_target_mode_has_target CHECK (mode <> 'target_balance' OR target_balance_cents IS NOT NULL);
