-- The offer of care is counted per commune too (arrondissements in their city), so that the
-- indicators of every commune of France read one row per commune and profession. SQLite
-- cannot change a CHECK constraint: the table is rebuilt with its rows, then the communes'
-- counts are added from the directory already imported.
CREATE TABLE offer_counts_with_communes (
    level TEXT NOT NULL CHECK (level IN ('commune', 'departement', 'region', 'france')),
    code TEXT NOT NULL,
    profession TEXT NOT NULL,
    specialty TEXT NOT NULL,
    professionals INTEGER NOT NULL,
    PRIMARY KEY (level, code, profession, specialty)
);
INSERT INTO offer_counts_with_communes SELECT * FROM offer_counts;
DROP TABLE offer_counts;
ALTER TABLE offer_counts_with_communes RENAME TO offer_counts;

INSERT INTO offer_counts (level, code, profession, specialty, professionals)
SELECT 'commune', COALESCE(c.parent, c.insee), p.profession,
       CASE WHEN p.profession = '10' THEN p.specialty ELSE '' END, COUNT(DISTINCT p.id)
FROM practice_sites s JOIN professionals p ON p.id = s.professional_id
JOIN communes c ON c.insee = s.commune WHERE p.active = 1
GROUP BY COALESCE(c.parent, c.insee), p.profession,
         CASE WHEN p.profession = '10' THEN p.specialty ELSE '' END;

-- The population by sex and age band of each department and region and of France, summed
-- from their communes (arrondissements aside) at each import of INSEE's file, so that a
-- diagnosis reads a few rows instead of every commune's.
CREATE TABLE area_population_ages (
    level TEXT NOT NULL CHECK (level IN ('departement', 'region', 'france')),
    code TEXT NOT NULL,
    sex TEXT NOT NULL,
    band TEXT NOT NULL,
    people DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (level, code, sex, band)
);
INSERT INTO area_population_ages (level, code, sex, band, people)
SELECT 'departement', c.departement, a.sex, a.band, SUM(a.people)
FROM population_ages a JOIN communes c ON c.insee = a.insee AND c.kind = 'commune'
GROUP BY c.departement, a.sex, a.band;
INSERT INTO area_population_ages (level, code, sex, band, people)
SELECT 'region', c.region, a.sex, a.band, SUM(a.people)
FROM population_ages a JOIN communes c ON c.insee = a.insee AND c.kind = 'commune'
GROUP BY c.region, a.sex, a.band;
INSERT INTO area_population_ages (level, code, sex, band, people)
SELECT 'france', 'FR', a.sex, a.band, SUM(a.people)
FROM population_ages a JOIN communes c ON c.insee = a.insee AND c.kind = 'commune'
GROUP BY a.sex, a.band;

-- Whether the directory is synthetic is known without reading every professional.
CREATE INDEX professionals_synthetic ON professionals(id) WHERE synthetic = 1;

-- Both sexes' people of each age band per commune, and deaths of each band per area and
-- cause, one row each (bands b0…b5 in the order of INSEE's six bands, 0–14 first), written
-- at each import: the indicators of every commune of France read 35,000 and 70,000 rows
-- instead of summing 420,000 each time.
CREATE TABLE commune_age_bands (
    insee TEXT PRIMARY KEY,
    b0 DOUBLE PRECISION NOT NULL,
    b1 DOUBLE PRECISION NOT NULL,
    b2 DOUBLE PRECISION NOT NULL,
    b3 DOUBLE PRECISION NOT NULL,
    b4 DOUBLE PRECISION NOT NULL,
    b5 DOUBLE PRECISION NOT NULL
);
INSERT INTO commune_age_bands (insee, b0, b1, b2, b3, b4, b5)
SELECT insee,
       SUM(CASE WHEN band = '0-14' THEN people ELSE 0 END),
       SUM(CASE WHEN band = '15-29' THEN people ELSE 0 END),
       SUM(CASE WHEN band = '30-44' THEN people ELSE 0 END),
       SUM(CASE WHEN band = '45-59' THEN people ELSE 0 END),
       SUM(CASE WHEN band = '60-74' THEN people ELSE 0 END),
       SUM(CASE WHEN band = '75+' THEN people ELSE 0 END)
FROM population_ages GROUP BY insee;

CREATE TABLE death_bands (
    level TEXT NOT NULL,
    code TEXT NOT NULL,
    cause TEXT NOT NULL,
    b0 BIGINT NOT NULL,
    b1 BIGINT NOT NULL,
    b2 BIGINT NOT NULL,
    b3 BIGINT NOT NULL,
    b4 BIGINT NOT NULL,
    b5 BIGINT NOT NULL,
    PRIMARY KEY (level, code, cause)
);
INSERT INTO death_bands (level, code, cause, b0, b1, b2, b3, b4, b5)
SELECT level, code, cause,
       SUM(CASE WHEN band = '0-14' THEN deaths ELSE 0 END),
       SUM(CASE WHEN band = '15-29' THEN deaths ELSE 0 END),
       SUM(CASE WHEN band = '30-44' THEN deaths ELSE 0 END),
       SUM(CASE WHEN band = '45-59' THEN deaths ELSE 0 END),
       SUM(CASE WHEN band = '60-74' THEN deaths ELSE 0 END),
       SUM(CASE WHEN band = '75+' THEN deaths ELSE 0 END)
FROM deaths GROUP BY level, code, cause;

-- Each department's legal population, summed from its communes when the territory is
-- loaded: a diagnosis reads a hundred rows instead of every commune of France.
ALTER TABLE departements ADD COLUMN population BIGINT;
UPDATE departements SET population = (SELECT CAST(COALESCE(SUM(c.population), 0) AS BIGINT)
    FROM communes c WHERE c.departement = departements.code AND c.kind = 'commune'
    AND c.current = 1);
