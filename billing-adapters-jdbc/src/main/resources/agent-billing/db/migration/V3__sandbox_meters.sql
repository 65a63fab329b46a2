-- Sandbox runtime meters (API.md Part B): one row per sandbox, inserted at start, then moved by heartbeats and
-- settlements under a row lock (SELECT … FOR UPDATE); never deleted, so a settled meter keeps its final counters.
--
-- sandbox_id is the caller's id, unique across orgs, and heartbeats and settlements name only the sandbox, so it is
-- looked up without the org: the UNIQUE constraint on sandbox_id alone serves those lookups and is the arbiter of
-- the start's INSERT … ON CONFLICT (sandbox_id) DO NOTHING. On a distributed database (Citus, by org_id) a unique
-- index must include the distribution column, so this one cannot stay as it is: there the lookup needs a small
-- reference table mapping sandbox_id -> org_id (claimed in the start transaction, its primary key the arbiter), and
-- the meter is then read by (org_id, sandbox_id).
--
-- sandbox_id has the "C" collation, so that ordering by it is by code point (byte order in UTF-8) as the port
-- requires, whatever the database's default collation, and the indexes below serve those orderings.
CREATE TABLE sandbox_meters (
    org_id             uuid        NOT NULL,
    sandbox_id         text        COLLATE "C" NOT NULL CHECK (length(sandbox_id) BETWEEN 1 AND 200),
    member_id          uuid        NOT NULL,
    size               text        NOT NULL CHECK (length(size) BETWEEN 1 AND 200),
    started_at         timestamptz NOT NULL,
    last_heartbeat_at  timestamptz NOT NULL,
    settled_through    timestamptz NOT NULL,
    settled_seconds    bigint      NOT NULL CHECK (settled_seconds >= 0),
    forgiven_seconds   bigint      NOT NULL CHECK (forgiven_seconds >= 0),
    status             text        NOT NULL CHECK (status IN ('active', 'pending', 'settled')),
    PRIMARY KEY (org_id, sandbox_id),
    UNIQUE (sandbox_id),
    FOREIGN KEY (org_id, member_id) REFERENCES members (org_id, member_id),
    CHECK (last_heartbeat_at >= started_at AND settled_through >= started_at)
);

-- The open meters of an org (usage report), in sandbox id order. Partial: settled meters pile up, open ones do not.
CREATE INDEX sandbox_meters_open ON sandbox_meters (org_id, sandbox_id) WHERE status <> 'settled';

-- The sweeper's scan across orgs: open meters by oldest heartbeat. Partial for the same reason; the query repeats
-- the predicate so that the planner can use it.
CREATE INDEX sandbox_meters_silent ON sandbox_meters (last_heartbeat_at, sandbox_id) WHERE status <> 'settled';
