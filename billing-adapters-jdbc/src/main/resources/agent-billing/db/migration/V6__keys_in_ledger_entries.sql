-- A settlement writes one row: its ledger entry carries its idempotency key and payload fingerprint.
--
-- Until now every ledger write claimed its key in idempotency_keys (an insert), appended its entry and then recorded
-- the outcome on the key's row (an update): three row writes and four index entries before the account, grant lot
-- and rollup were touched. The entry already holds everything a replay answers with (entry id, amount, balance after,
-- time); with the fingerprint beside it, the entry IS the key's record. Its key is unique per org (the constraint
-- below is the arbiter), and a replay reads the existing entry. A write that moves no money (a BYOK model call, a
-- free tool) has no entry: its outcome stays a row of idempotency_keys, inserted once with the outcome, as do the keys
-- of writes that are not ledger entries (org creation, members, sandbox starts). The posting engine looks a batch's
-- keys up in both, under its accounts' row locks.
--
-- Indexes on ledger_entries: the primary key (org_id, sequence) serves history pages, the verifier and the
-- time-filtered history (a backward scan of the org's entries; created_at follows sequence within an org); the new
-- unique (org_id, idempotency_key) serves replays and reading a write's entry back. The unique (org_id, entry_id) and
-- the (org_id, created_at) index go: each cost an index insert and its WAL on every settlement, and nothing reads
-- through them any more (LedgerKeysInEntriesTest shows the plans).
--
-- Existing data moves: each entry gets the fingerprint of the key that wrote it, and those key rows, now redundant,
-- are deleted. The append-only trigger is disabled for this one statement only (within this migration's transaction,
-- so no other session ever sees it disabled); amounts, balances and sequences are not touched.

ALTER TABLE ledger_entries ADD COLUMN fingerprint text;

ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only;

UPDATE ledger_entries e
SET fingerprint = k.fingerprint
FROM idempotency_keys k
WHERE k.org_id = e.org_id AND k.key = e.idempotency_key AND k.entry_id = e.entry_id;

ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_append_only;

DELETE FROM idempotency_keys k
USING ledger_entries e
WHERE k.org_id = e.org_id AND k.key = e.idempotency_key AND k.entry_id = e.entry_id;

ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_key_unique UNIQUE (org_id, idempotency_key);

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_org_id_entry_id_key;

DROP INDEX ledger_entries_by_time;
