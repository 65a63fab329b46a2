-- Registering a webhook endpoint takes an optional idempotency key, as the public API's other writes do: a retried
-- registration returns the endpoint its key registered instead of adding another. The key is unique per org (the
-- arbiter of two concurrent registrations with one key, and like every key of an org table it leads with org_id);
-- the fingerprint of the registering request tells a replay from another request under the same key. Endpoints
-- registered without a key keep both columns null (a unique constraint lets nulls repeat).

ALTER TABLE webhook_endpoints
    ADD COLUMN idempotency_key  text CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    ADD COLUMN fingerprint      text,
    ADD CONSTRAINT webhook_endpoints_org_id_idempotency_key_key UNIQUE (org_id, idempotency_key),
    ADD CONSTRAINT webhook_endpoints_key_has_fingerprint
        CHECK ((idempotency_key IS NULL) = (fingerprint IS NULL));
