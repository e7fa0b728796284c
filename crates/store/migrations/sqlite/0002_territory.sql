-- The territory: regions, departments, EPCI and communes (national reference data loaded
-- from the files shipped with the binary), and the perimeter of each CPTS.

CREATE TABLE reference_data (
    name TEXT PRIMARY KEY,
    version TEXT NOT NULL,
    loaded_at INTEGER NOT NULL
);

CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE departements (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    region TEXT NOT NULL REFERENCES regions(code)
);

CREATE TABLE epcis (
    siren TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    nature TEXT NOT NULL
);

-- The codes of department, region and EPCI are not foreign keys: the shipped files are
-- checked for consistency when generated, and per-row checks would triple the loading time.
-- `current` is 0 for a commune that a later reference vintage no longer lists (merged
-- into a new commune) but that a perimeter still names.
CREATE TABLE communes (
    insee TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('commune', 'arrondissement')),
    name TEXT NOT NULL,
    search_name TEXT NOT NULL,
    departement TEXT NOT NULL,
    region TEXT NOT NULL,
    epci TEXT,
    parent TEXT,
    postcodes TEXT NOT NULL,
    population INTEGER,
    latitude REAL,
    longitude REAL,
    current INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX communes_epci ON communes(epci);
CREATE INDEX communes_departement ON communes(departement);
CREATE INDEX communes_search_name ON communes(search_name);

CREATE TABLE cpts_communes (
    cpts_id INTEGER NOT NULL REFERENCES cpts(id) ON DELETE CASCADE,
    insee TEXT NOT NULL REFERENCES communes(insee),
    PRIMARY KEY (cpts_id, insee)
);
CREATE INDEX cpts_communes_insee ON cpts_communes(insee);
