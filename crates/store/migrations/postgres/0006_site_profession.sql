-- Searches by profession around a commune start from the practice sites of the nearby
-- communes: each site carries its professional's profession and specialty, indexed with
-- the commune.

ALTER TABLE practice_sites ADD COLUMN profession TEXT NOT NULL DEFAULT '';
ALTER TABLE practice_sites ADD COLUMN specialty TEXT NOT NULL DEFAULT '';
UPDATE practice_sites SET
    profession = (SELECT p.profession FROM professionals p WHERE p.id = practice_sites.professional_id),
    specialty = (SELECT p.specialty FROM professionals p WHERE p.id = practice_sites.professional_id);
CREATE INDEX practice_sites_commune_profession ON practice_sites(commune, profession, specialty);
DROP INDEX practice_sites_commune;
