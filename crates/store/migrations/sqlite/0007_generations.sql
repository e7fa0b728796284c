-- Counters that tell every app server when its in-memory search index is stale:
-- 'directory' moves at each import of the national directory, 'members:<cpts id>' at each
-- change of that CPTS's members. A server compares them with the ones its index was built
-- from, so several servers sharing one database stay fresh without messaging each other.
CREATE TABLE generations (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
