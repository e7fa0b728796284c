-- Who called the desk for the patient (the patient, the regulation, a pharmacist…).
ALTER TABLE snp_requests ADD COLUMN caller TEXT NOT NULL DEFAULT 'unspecified';
