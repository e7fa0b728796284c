-- When an unscheduled-care request lost its patient's personal data, at the end of its
-- retention (see `snp_requests::purge`).
ALTER TABLE snp_requests ADD COLUMN purged_at INTEGER;
