-- An invitation sent from a member's page names that member: the account created with it
-- is linked to them, so that they can keep their own settings at once.
ALTER TABLE invitations ADD COLUMN member_id BIGINT REFERENCES members(id) ON DELETE SET NULL;
