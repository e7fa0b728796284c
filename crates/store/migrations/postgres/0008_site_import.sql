-- Each practice site remembers the import that wrote it: an import adds the sites it
-- reads, then removes in one statement the older sites of the professionals it saw.
ALTER TABLE practice_sites ADD COLUMN import_id BIGINT NOT NULL DEFAULT 0;
