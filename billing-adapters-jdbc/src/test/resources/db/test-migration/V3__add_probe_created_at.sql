ALTER TABLE probe ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
