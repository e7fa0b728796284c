-- A member's personal calendar feed of unscheduled-care bookings: the hash of the secret
-- token in its address (the token itself is shown once, when created).
ALTER TABLE members ADD COLUMN calendar_token_hash TEXT;
CREATE UNIQUE INDEX members_calendar_token ON members(calendar_token_hash)
    WHERE calendar_token_hash IS NOT NULL;
