-- The offer of care of each department and region and of France: the active professionals
-- with a practice site there, per profession (and specialty, for doctors), each counted
-- once per area. Rebuilt at the end of each directory import, in its transaction, so that
-- a diagnosis reads a few rows instead of the whole directory.
CREATE TABLE offer_counts (
    level TEXT NOT NULL CHECK (level IN ('departement', 'region', 'france')),
    code TEXT NOT NULL,
    profession TEXT NOT NULL,
    specialty TEXT NOT NULL,
    professionals INTEGER NOT NULL,
    PRIMARY KEY (level, code, profession, specialty)
);
