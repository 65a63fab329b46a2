-- A claimed delivery's lease, apart from its next attempt time: while a worker holds it, an attempt may be on its way
-- to the endpoint, so an admin's manual retry is refused (409) instead of making the delivery due at once for another
-- instance to send concurrently. Set by the claim, cleared when the attempt is recorded; null otherwise.

ALTER TABLE webhook_deliveries ADD COLUMN leased_until timestamptz;
