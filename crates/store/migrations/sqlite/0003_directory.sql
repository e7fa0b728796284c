-- The national directory of health professionals (reference data shared by every CPTS
-- of the host), from the Annuaire Santé extraction or from the synthetic generator.

CREATE TABLE directory_imports (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    lines_read INTEGER NOT NULL,
    professionals INTEGER NOT NULL,
    deactivated INTEGER NOT NULL,
    lines_refused INTEGER NOT NULL
);

-- One row per professional, keyed by `Identification nationale PP`; `synthetic` marks the
-- generator's (RPPS numbers starting with 99, a range maillage reserves for them). A professional absent
-- from a later extraction is kept, inactive: members' settings and history refer to it.
CREATE TABLE professionals (
    id INTEGER PRIMARY KEY,
    national_id TEXT NOT NULL UNIQUE,
    id_type TEXT NOT NULL,
    identifier TEXT NOT NULL,
    title TEXT NOT NULL,
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    search_name TEXT NOT NULL,
    profession TEXT NOT NULL,
    category TEXT NOT NULL,
    specialty TEXT NOT NULL,
    active INTEGER NOT NULL,
    synthetic INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES directory_imports(id),
    updated_at INTEGER NOT NULL
);
CREATE INDEX professionals_profession ON professionals(profession, specialty);
CREATE INDEX professionals_search_name ON professionals(search_name);

-- The activities (practice sites) of a professional, replaced at each import.
CREATE TABLE practice_sites (
    id INTEGER PRIMARY KEY,
    professional_id INTEGER NOT NULL REFERENCES professionals(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    mode TEXT NOT NULL,
    sector TEXT NOT NULL,
    activity_kind TEXT NOT NULL,
    siret TEXT NOT NULL,
    finess TEXT NOT NULL,
    structure_name TEXT NOT NULL,
    street TEXT NOT NULL,
    address_extra TEXT NOT NULL,
    postcode TEXT NOT NULL,
    commune TEXT,
    commune_name TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL
);
CREATE INDEX practice_sites_professional ON practice_sites(professional_id);
CREATE INDEX practice_sites_commune ON practice_sites(commune);

CREATE TABLE professional_skills (
    professional_id INTEGER NOT NULL REFERENCES professionals(id) ON DELETE CASCADE,
    skill_type TEXT NOT NULL,
    skill TEXT NOT NULL,
    PRIMARY KEY (professional_id, skill_type, skill)
);
