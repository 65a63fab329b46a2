-- Usage rollup counters become exact integers of any size.
--
-- One settlement's counts are bounded (tokens <= 10^12, executions <= 10^9, resource quantity <= 10^15, byte-seconds
-- and seconds within a bigint), but a day's cell and a report's sums are not: a billion model calls a day at the
-- token bound is 10^21 tokens, a petabyte held for a day is about 10^20 byte-seconds. A bigint cell overflowed
-- (22003), refusing every later settlement of that cell for the rest of the day, and SUM(bigint) over many days
-- overflowed the report. numeric has no such limit; the values stay whole numbers because only whole numbers are
-- ever added, and the existing CHECK (x >= 0) constraints still hold. cost_micros stays bigint: every cost is a
-- ledger debit, and the ledger keeps an org's used total within a bigint, so a sum of an org's costs always fits.
--
-- The ALTER rewrites the table once (an exclusive lock for the time it takes); reports keep reading the same columns.
ALTER TABLE usage_daily
    ALTER COLUMN count TYPE numeric,
    ALTER COLUMN input_tokens TYPE numeric,
    ALTER COLUMN output_tokens TYPE numeric,
    ALTER COLUMN cached_input_tokens TYPE numeric,
    ALTER COLUMN quantity TYPE numeric,
    ALTER COLUMN forgiven_quantity TYPE numeric;
