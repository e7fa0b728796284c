-- What a diagnosis reads besides the directory and the territory: the statistical files
-- a host imports (INSEE population by sex and age band, patients in long-term illness
-- (ALD), deaths), each replaced as a whole by the next file of its kind.

-- The last file imported of each kind: its name and vintage are the figures' source.
CREATE TABLE statistics_imports (
    kind TEXT PRIMARY KEY CHECK (kind IN ('population_ages', 'ald', 'deaths')),
    file_name TEXT NOT NULL,
    vintage TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    lines INTEGER NOT NULL
);

-- INSEE « base-cc » populations: weighted census counts, hence not whole numbers.
CREATE TABLE population_ages (
    insee TEXT NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('H', 'F')),
    band TEXT NOT NULL,
    people REAL NOT NULL,
    PRIMARY KEY (insee, sex, band)
);

CREATE TABLE ald_patients (
    level TEXT NOT NULL CHECK (level IN ('commune', 'departement', 'region', 'france')),
    code TEXT NOT NULL,
    ald TEXT NOT NULL,
    patients INTEGER NOT NULL,
    PRIMARY KEY (level, code, ald)
);

CREATE TABLE deaths (
    level TEXT NOT NULL CHECK (level IN ('commune', 'region')),
    code TEXT NOT NULL,
    band TEXT NOT NULL,
    cause TEXT NOT NULL,
    deaths INTEGER NOT NULL,
    PRIMARY KEY (level, code, band, cause)
);
