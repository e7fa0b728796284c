-- Who closed a booking (cancelled, moved, or recorded what followed it), and why it was
-- cancelled (`CANCEL_REASONS` of the domain), so that the desk knows what to tell the patient.
ALTER TABLE snp_bookings ADD COLUMN closed_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE snp_bookings ADD COLUMN cancel_reason TEXT;
