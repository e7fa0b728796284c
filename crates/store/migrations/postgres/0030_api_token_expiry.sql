-- A personal API token may be given an expiry: from that instant (Unix seconds) it opens
-- nothing; NULL for a token that does not expire.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
