-- What the SAS platform is told of the bookings its regulators make (flow INT_R03 of the
-- ANS guide): one row per booking of a request that came from the SAS. Each change of the
-- booking raises `version`; a worker sends the booking as it then is (a create first, then
-- updates) and records the version the SAS took, retrying with a growing delay.
CREATE TABLE snp_sas_appointments (
    booking_id INTEGER PRIMARY KEY REFERENCES snp_bookings(id) ON DELETE CASCADE,
    version INTEGER NOT NULL DEFAULT 1,
    sent_version INTEGER NOT NULL DEFAULT 0,
    -- Whether the SAS took the create: later versions go as updates.
    created INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_until INTEGER,
    sent_at INTEGER,
    failed_at INTEGER,
    last_error TEXT
);
CREATE INDEX snp_sas_appointments_due ON snp_sas_appointments(next_attempt_at)
    WHERE sent_version < version AND failed_at IS NULL;

-- A regulator's identifier for the SAS (RPPS or ADELI with its prefix, or the technical
-- identifier the SAS gave them): the appointments they book name them by it.
ALTER TABLE users ADD COLUMN sas_operator_id TEXT;
