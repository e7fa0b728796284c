-- Unscheduled care (soins non programmés): the places where members see patients, their
-- weekly rules and absences, the slots these give (and one-off slots), the requests that
-- coordinators and regulators record, the bookings, and the CPTS's cooperation protocols.

-- A place a member sees unscheduled patients at: a practice site of the directory, copied
-- when first used, so that re-imports of the directory leave published slots alone.
CREATE TABLE snp_places (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    street TEXT NOT NULL,
    postcode TEXT NOT NULL,
    commune TEXT NOT NULL REFERENCES communes(insee),
    finess TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    UNIQUE (member_id, name, street, commune)
);

-- A weekly rule: days (1 Monday … 7 Sunday, comma-separated), wall-clock hours in
-- Europe/Paris (HH:MM), slot length, every how many weeks, from when until when.
CREATE TABLE snp_rules (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    place_id INTEGER NOT NULL REFERENCES snp_places(id),
    weekdays TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    slot_minutes INTEGER NOT NULL,
    every_weeks INTEGER NOT NULL DEFAULT 1,
    first_day TEXT NOT NULL,
    last_day TEXT,
    on_public_holidays INTEGER NOT NULL DEFAULT 0,
    mode TEXT NOT NULL CHECK (mode IN ('in_person', 'teleconsultation', 'home_visit')),
    visibility TEXT NOT NULL CHECK (visibility IN ('PUBLIC', 'PRO', 'SNP', 'CPTS')),
    extra_patients INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX snp_rules_member ON snp_rules(member_id);

-- Days without slots (both included, AAAA-MM-JJ).
CREATE TABLE snp_absences (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX snp_absences_member ON snp_absences(member_id);

-- The slots: given by a rule over the coming weeks, or one-off (`rule_id` empty). The
-- professional's profession and the place's position are copied for the search of free
-- slots, which reads the grid cells (`cell`) around a commune over a time window. A
-- member has one slot at a time. A slot no rule gives any more is removed, or withdrawn
-- when bookings of it were cancelled (their history refers to it).
CREATE TABLE snp_slots (
    id INTEGER PRIMARY KEY,
    cpts_id INTEGER NOT NULL REFERENCES cpts(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    place_id INTEGER NOT NULL REFERENCES snp_places(id),
    rule_id INTEGER REFERENCES snp_rules(id) ON DELETE SET NULL,
    start_at INTEGER NOT NULL,
    end_at INTEGER NOT NULL,
    mode TEXT NOT NULL,
    visibility TEXT NOT NULL,
    extra_patients INTEGER NOT NULL DEFAULT 0,
    profession TEXT NOT NULL,
    specialty TEXT NOT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    cell INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'free' CHECK (status IN ('free', 'booked', 'withdrawn')),
    UNIQUE (member_id, start_at)
);
CREATE INDEX snp_slots_free ON snp_slots(cell, start_at) WHERE status = 'free';
CREATE INDEX snp_slots_cpts ON snp_slots(cpts_id, start_at);
CREATE INDEX snp_slots_rule ON snp_slots(rule_id);

-- A request: why and how soon, where the patient is, whether they can travel and whether
-- their GP was tried, and the minimum that identifies and reaches them.
CREATE TABLE snp_requests (
    id INTEGER PRIMARY KEY,
    cpts_id INTEGER NOT NULL REFERENCES cpts(id) ON DELETE CASCADE,
    channel TEXT NOT NULL CHECK (channel IN ('coordinator', 'regulator', 'api', 'sas')),
    reason TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    urgency TEXT NOT NULL CHECK (urgency IN ('today', '24h', '48h')),
    commune TEXT NOT NULL REFERENCES communes(insee),
    mobility TEXT NOT NULL CHECK (mobility IN ('mobile', 'housebound')),
    own_gp TEXT NOT NULL CHECK (own_gp IN ('tried', 'not_tried', 'no_gp')),
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('F', 'M')),
    phone TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'booked', 'closed')),
    close_reason TEXT,
    received_at INTEGER NOT NULL,
    deadline_at INTEGER NOT NULL,
    closed_at INTEGER,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX snp_requests_cpts ON snp_requests(cpts_id, status, received_at);

-- A booking of a slot for a request. A slot holds one live booking at most (booked, or
-- kept once it took place), whatever the concurrency: the unique index says so to the
-- database itself. An extra patient (`extra`, « surnuméraire ») is added beside it.
CREATE TABLE snp_bookings (
    id INTEGER PRIMARY KEY,
    cpts_id INTEGER NOT NULL REFERENCES cpts(id) ON DELETE CASCADE,
    slot_id INTEGER NOT NULL REFERENCES snp_slots(id),
    request_id INTEGER NOT NULL REFERENCES snp_requests(id) ON DELETE CASCADE,
    extra INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled', 'rescheduled', 'no_show', 'seen')),
    outcome TEXT,
    booked_at INTEGER NOT NULL,
    booked_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    closed_at INTEGER,
    replaced_by INTEGER REFERENCES snp_bookings(id)
);
CREATE UNIQUE INDEX snp_bookings_one_per_slot ON snp_bookings(slot_id)
    WHERE extra = 0 AND status IN ('booked', 'no_show', 'seen');
CREATE INDEX snp_bookings_request ON snp_bookings(request_id);
CREATE INDEX snp_bookings_cpts ON snp_bookings(cpts_id, booked_at);

-- Cooperation protocols of a CPTS and the members trained for each.
CREATE TABLE snp_protocols (
    id INTEGER PRIMARY KEY,
    cpts_id INTEGER NOT NULL REFERENCES cpts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    reason TEXT NOT NULL,
    profession TEXT NOT NULL,
    age_min INTEGER NOT NULL,
    age_max INTEGER NOT NULL,
    sex TEXT,
    conditions TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE TABLE snp_protocol_members (
    protocol_id INTEGER NOT NULL REFERENCES snp_protocols(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    PRIMARY KEY (protocol_id, member_id)
);

