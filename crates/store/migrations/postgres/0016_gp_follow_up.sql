-- Following the waiting list up. A GP may answer a proposal from the link of its e-mail:
-- the hash of the link's token, forgotten once answered. Reminders: when the GP was last
-- reminded of a proposal still waiting, and when the coordination was last reminded of a
-- request left without a step for the CPTS's number of days.
ALTER TABLE gp_proposals ADD COLUMN answer_token_hash TEXT;
CREATE UNIQUE INDEX gp_proposals_answer_token ON gp_proposals(answer_token_hash)
    WHERE answer_token_hash IS NOT NULL;
ALTER TABLE gp_proposals ADD COLUMN reminded_at BIGINT;
ALTER TABLE gp_requests ADD COLUMN reminded_at BIGINT;
ALTER TABLE cpts ADD COLUMN gp_stale_after_days BIGINT NOT NULL DEFAULT 30;

-- Notifications by SMS too (to a patient, through the configured provider): the channel of
-- each row; the recipient is then a phone number.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'sms'));
