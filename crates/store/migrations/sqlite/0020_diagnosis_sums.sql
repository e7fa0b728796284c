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

-- A region's communes are found without reading all of France's, and whether the directory
-- is synthetic without reading every professional.
CREATE INDEX communes_region ON communes(region);
CREATE INDEX professionals_synthetic ON professionals(id) WHERE synthetic = 1;
