-- Proposals of a patient of the waiting list to a member GP: pending until the GP answers;
-- each counts against the GP's monthly capacity in the month it was made (`month`,
-- AAAA-MM), unless declined or withdrawn (its request was closed first). A request has
-- at most one pending proposal.
CREATE TABLE gp_proposals (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES gp_requests(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn')),
    month TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    decided_at INTEGER
);
CREATE UNIQUE INDEX gp_proposals_one_pending ON gp_proposals(request_id) WHERE status = 'pending';
CREATE INDEX gp_proposals_member ON gp_proposals(member_id, month);
