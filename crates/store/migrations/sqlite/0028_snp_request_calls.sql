-- The desk's calls to the patient of a request, and what came of each (reached, no answer,
-- a message left, a wrong number), with a short note emptied at the end of the request's
-- retention.
CREATE TABLE snp_request_calls (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES snp_requests(id) ON DELETE CASCADE,
    called_at INTEGER NOT NULL,
    called_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    result TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX snp_request_calls_request ON snp_request_calls(request_id, called_at);
