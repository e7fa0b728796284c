-- The answers of state-changing API calls sent with an `Idempotency-Key`, kept per account:
-- the same key with the same body gets the same answer again; with another body, a refusal.
-- `status` 0 means the first call is still being answered.
CREATE TABLE idempotency_keys (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL DEFAULT 0,
    body TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
);
