-- Payments: provider customers and saved cards, the checkout sessions we opened, processed webhook events, credited
-- payments (for refunds), auto top-up settings and attempts.
--
-- Same rules as V1: org tables lead with org_id; every insert that may race is INSERT … ON CONFLICT DO NOTHING on a
-- unique constraint, never a read followed by a write. Money is integer cents (bigint), as the payment records
-- carry it: what the provider charges is whole cents, and the ledger converts to micros once, when it credits.
-- Checkouts, credited payments and attempts are unique by an id that a webhook or the worker names without its org
-- (a session, a payment intent, an attempt); on a distributed database those lookups need the org added to them or
-- the table made a reference table, like api_keys.

-- One per org. The first customer saved wins, so two checkouts started at once agree on the customer to use.
CREATE TABLE payment_profiles (
    org_id             uuid        PRIMARY KEY REFERENCES orgs (org_id),
    customer_id        text        NOT NULL CHECK (customer_id ~ '\S'),
    payment_method_id  text,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);

-- Unique by session id, and by (org, idempotency key) where the client sent a key, so that a retried top-up request
-- gets the session the first one opened; both are arbiters of the insert's ON CONFLICT DO NOTHING.
CREATE TABLE checkouts (
    org_id           uuid        NOT NULL REFERENCES orgs (org_id),
    session_id       text        PRIMARY KEY,
    amount_cents     bigint      NOT NULL CHECK (amount_cents > 0),
    checkout_url     text,
    idempotency_key  text        CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    fingerprint      text        NOT NULL,
    created_at       timestamptz NOT NULL,
    failure_reason   text,
    failed_at        timestamptz,
    CHECK ((failure_reason IS NULL) = (failed_at IS NULL))
);

CREATE UNIQUE INDEX checkouts_by_key ON checkouts (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Provider events already applied, claimed in the transaction that applies them, so a redelivery changes nothing.
-- Keyed by the event id alone: not every event names an org.
CREATE TABLE processed_webhook_events (
    event_id      text        PRIMARY KEY,
    processed_at  timestamptz NOT NULL
);

-- Payments whose money reached the ledger, and how much of each was refunded to the card since: a refund
-- notification carries the provider's cumulative amount, and the ledger may never give back more than it credited.
CREATE TABLE credited_payments (
    org_id             uuid        NOT NULL REFERENCES orgs (org_id),
    payment_intent_id  text        PRIMARY KEY,
    source             text        NOT NULL CHECK (source ~ '^(checkout|auto_topup):.'),
    credited_cents     bigint      NOT NULL CHECK (credited_cents > 0),
    refunded_cents     bigint      NOT NULL CHECK (refunded_cents BETWEEN 0 AND credited_cents),
    created_at         timestamptz NOT NULL
);

-- One per org once an admin has set them; replaced whole, under the org's account lock.
CREATE TABLE auto_topup_settings (
    org_id                uuid        PRIMARY KEY REFERENCES orgs (org_id),
    enabled               boolean     NOT NULL,
    threshold_cents       bigint      NOT NULL CHECK (threshold_cents >= 0),
    topup_amount_cents    bigint      NOT NULL CHECK (topup_amount_cents > 0),
    last_topup_at         timestamptz,
    last_failure_at       timestamptz,
    last_failure_reason   text,
    consecutive_failures  integer     NOT NULL CHECK (consecutive_failures >= 0),
    disabled_reason       text,
    CHECK (NOT enabled OR disabled_reason IS NULL)
);

CREATE TABLE auto_topup_attempts (
    org_id             uuid        NOT NULL REFERENCES orgs (org_id),
    attempt_id         uuid        PRIMARY KEY,
    amount_cents       bigint      NOT NULL CHECK (amount_cents > 0),
    status             text        NOT NULL CHECK (status IN ('pending', 'charging', 'processing', 'succeeded',
                                                              'failed', 'canceled')),
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    customer_id        text,
    payment_method_id  text,
    provider_retries   integer     NOT NULL CHECK (provider_retries >= 0),
    next_attempt_at    timestamptz NOT NULL,
    claimed_at         timestamptz,
    payment_intent_id  text,
    failure_code       text,
    failure_message    text,
    -- A claimed attempt names what it charges, so that a re-run after a crash sends exactly the same request.
    CHECK (status <> 'charging' OR (customer_id IS NOT NULL AND payment_method_id IS NOT NULL
                                    AND claimed_at IS NOT NULL))
);

-- At most one attempt per org in flight: a burst of debits crossing the threshold at once starts one charge. The
-- insert names this index as its arbiter (ON CONFLICT (org_id) WHERE <this predicate> DO NOTHING), and an update
-- that would put a second attempt in flight fails. Keep the predicate in step with JdbiPaymentStore.
CREATE UNIQUE INDEX auto_topup_attempts_one_in_flight ON auto_topup_attempts (org_id)
    WHERE status IN ('pending', 'charging', 'processing');

CREATE INDEX auto_topup_attempts_by_org ON auto_topup_attempts (org_id, created_at, attempt_id);

-- The worker's scan across orgs; ended attempts, which pile up, stay out of it.
CREATE INDEX auto_topup_attempts_to_run ON auto_topup_attempts (created_at, attempt_id)
    WHERE status IN ('pending', 'charging');
