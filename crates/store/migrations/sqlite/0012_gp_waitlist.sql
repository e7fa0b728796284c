-- The waiting list of patients without a médecin traitant: each request of a CPTS, what
-- identifies and situates the patient (the minimum its priority and its matching need),
-- and its history. Personal fields are emptied some months after closure
-- (`purged_at`); what the indicators count stays.

CREATE TABLE gp_requests (
    id INTEGER PRIMARY KEY,
    cpts_id INTEGER NOT NULL REFERENCES cpts(id) ON DELETE CASCADE,
    last_name TEXT NOT NULL,
    birth_name TEXT NOT NULL DEFAULT '',
    first_name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('F', 'M')),
    commune TEXT NOT NULL REFERENCES communes(insee),
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    ald INTEGER NOT NULL DEFAULT 0,
    c2s INTEGER NOT NULL DEFAULT 0,
    disability INTEGER NOT NULL DEFAULT 0,
    pregnancy INTEGER NOT NULL DEFAULT 0,
    newly_arrived INTEGER NOT NULL DEFAULT 0,
    gp_left INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    -- How the request came: 'phone' (recorded by a coordinator) or 'form' (the public form).
    channel TEXT NOT NULL CHECK (channel IN ('phone', 'form')),
    -- The group the indicators count the request in: 'ald', '70+', 'c2s' or 'other', fixed
    -- at intake so that it outlives the purge of personal data.
    indicator_group TEXT NOT NULL,
    -- Names lower-case without accents, for finding probable duplicates.
    name_key TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'found', 'closed')),
    -- A coordinator placed the patient at the head of the list, saying why.
    priority_override INTEGER NOT NULL DEFAULT 0,
    override_comment TEXT NOT NULL DEFAULT '',
    closed_at INTEGER,
    close_reason TEXT,
    merged_into INTEGER REFERENCES gp_requests(id),
    purged_at INTEGER,
    received_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX gp_requests_queue ON gp_requests(cpts_id, status, received_at);
CREATE INDEX gp_requests_identity ON gp_requests(cpts_id, birth_date);

CREATE TABLE gp_request_events (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES gp_requests(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    -- 'received', then what happened to the request.
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX gp_request_events_request ON gp_request_events(request_id, id);

-- Each CPTS's priority rules: the criteria that place a patient, in order (codes of the
-- domain's criteria, comma-separated); then the date of the request.
ALTER TABLE cpts ADD COLUMN gp_priority_rules TEXT NOT NULL DEFAULT 'ald,age70,c2s';
