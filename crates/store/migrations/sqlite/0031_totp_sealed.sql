-- TOTP seeds are sealed (ChaCha20-Poly1305) under a key of the host key file, outside the
-- database: 1 for a sealed seed; the seeds of earlier versions (0) are sealed at the next
-- start of a server.
ALTER TABLE totp_credentials ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
