-- Keys the servers of one platform share, made at first use: they sign what a page hands
-- out and reads back (when a public form was shown), whichever server reads it.
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    key TEXT NOT NULL
);
