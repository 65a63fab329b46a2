-- The service's own schema, migrated by its own Flyway (Flyway's default location and history table).
CREATE TABLE agents (
    agent_id   text PRIMARY KEY,
    owner      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
