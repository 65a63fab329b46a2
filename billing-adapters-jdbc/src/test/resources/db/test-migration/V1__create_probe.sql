-- Test-only migrations (Migrations tests). Deliberately not idempotent: applying one twice fails.
CREATE TABLE probe (
    id   integer PRIMARY KEY,
    note text    NOT NULL
);
-- Widens the window in which a second, concurrent migrator could interfere.
SELECT pg_sleep(0.2);
