-- The members (adhérents) of each CPTS: professionals of the national directory, with what
-- they set themselves. Kept apart from the directory so that re-imports never touch them.

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    cpts_id INTEGER NOT NULL REFERENCES cpts(id) ON DELETE CASCADE,
    professional_id INTEGER NOT NULL REFERENCES professionals(id),
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    accepts_new_patients INTEGER NOT NULL DEFAULT 0,
    new_patients_per_month INTEGER,
    unscheduled_care INTEGER NOT NULL DEFAULT 0,
    teleconsultation INTEGER NOT NULL DEFAULT 0,
    home_visits INTEGER NOT NULL DEFAULT 0,
    languages TEXT NOT NULL DEFAULT '',
    mssante TEXT NOT NULL DEFAULT '',
    colleague_phone TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (cpts_id, professional_id)
);
CREATE INDEX members_professional ON members(professional_id);
CREATE UNIQUE INDEX members_user ON members(user_id) WHERE user_id IS NOT NULL;

-- Distance searches look communes up by latitude band first.
CREATE INDEX communes_latitude ON communes(latitude);
