-- The stamps of public forms already sent: a stamp serves once, so that a page loaded once
-- and posted again makes one request. Kept as long as a stamp is taken (a day).
CREATE TABLE form_stamps_used (
    stamp TEXT PRIMARY KEY,
    at BIGINT NOT NULL
);
