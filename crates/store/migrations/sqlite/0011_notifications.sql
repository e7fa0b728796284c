-- Notifications and alerts. The outbox holds every e-mail to send, written in the same
-- transaction as the event it tells of (or expanded from a fan-out written there), and
-- delivered by a worker with retries: each row is one notification to one person, unique by
-- what it is about (`dedup_key`, from which its Message-ID is made), and keeps its
-- Message-ID across attempts so that a resend after a crash is recognisable. Its text only
-- says that something is new, with a link: never any health data.

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    dedup_key TEXT NOT NULL UNIQUE,
    message_id TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    -- A worker took the row and has until then to send it; after, another may.
    lease_until INTEGER,
    sent_at INTEGER,
    failed_at INTEGER,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- What each person wants to be told by e-mail; no row means the defaults.
CREATE TABLE notification_preferences (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    messages TEXT NOT NULL DEFAULT 'all' CHECK (messages IN ('all', 'mentions', 'none')),
    alerts INTEGER NOT NULL DEFAULT 1
);

-- An alert a coordinator broadcasts to the CPTS's accounts or to a topic thread's members.
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    cpts_id INTEGER NOT NULL REFERENCES cpts(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    thread_id INTEGER REFERENCES threads(id) ON DELETE SET NULL,
    ack_required INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    reminders INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX alerts_cpts ON alerts(cpts_id, created_at);

CREATE TABLE alert_recipients (
    alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    acknowledged_at INTEGER,
    PRIMARY KEY (alert_id, user_id)
);
CREATE INDEX alert_recipients_user ON alert_recipients(user_id);

-- An alert's e-mails still to be written into the outbox: round 0 for the alert, n for its
-- n-th reminder. Written with the alert, expanded by the outbox worker, so that a broadcast
-- stays one short transaction whatever its audience.
CREATE TABLE outbox_fanouts (
    id INTEGER PRIMARY KEY,
    alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    round INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (alert_id, round)
);
