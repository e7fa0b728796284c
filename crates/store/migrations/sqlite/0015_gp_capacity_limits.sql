-- What a member GP accepts beyond a number per month: new patients of some communes only
-- (INSEE codes separated by commas; empty: any), of an age band only (bounds included;
-- NULL: no bound); and the day they plan to stop (retirement, move), ISO AAAA-MM-JJ.
ALTER TABLE members ADD COLUMN new_patient_communes TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN new_patient_min_age INTEGER;
ALTER TABLE members ADD COLUMN new_patient_max_age INTEGER;
ALTER TABLE members ADD COLUMN departure_date TEXT;

-- A request registered ahead of its GP's departure: the member who leaves.
ALTER TABLE gp_requests ADD COLUMN departing_member_id INTEGER REFERENCES members(id) ON DELETE SET NULL;
CREATE INDEX gp_requests_departing ON gp_requests(departing_member_id) WHERE departing_member_id IS NOT NULL;
