-- Secure messaging between a CPTS's professionals: threads around one patient or on a
-- topic, their members and read positions, messages, mentions and attachments. A thread
-- belongs to one CPTS and only its members read it. Attachment contents are kept apart
-- from the messages, once per checksum.

CREATE TABLE threads (
    id INTEGER PRIMARY KEY,
    cpts_id INTEGER NOT NULL REFERENCES cpts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('patient', 'topic')),
    -- The subject of a topic thread; empty for a patient thread.
    topic TEXT NOT NULL DEFAULT '',
    -- The patient of a patient thread: what identifies them, no more.
    patient_last_name TEXT,
    patient_first_name TEXT,
    patient_birth_date TEXT,
    patient_ins TEXT,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    last_message_at INTEGER NOT NULL,
    archived_at INTEGER,
    CHECK ((kind = 'patient') = (patient_last_name IS NOT NULL))
);
CREATE INDEX threads_cpts ON threads(cpts_id, last_message_at);

CREATE TABLE thread_members (
    thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    joined_at INTEGER NOT NULL,
    left_at INTEGER,
    -- The last message this member has seen: unread counts and read receipts.
    last_read_message_id INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (thread_id, user_id)
);
CREATE INDEX thread_members_user ON thread_members(user_id);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    -- The body lowercased without accents, for searching one's own threads.
    search_text TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX messages_thread ON messages(thread_id, id);

CREATE TABLE message_mentions (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (message_id, user_id)
);

CREATE TABLE attachment_contents (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    content BLOB NOT NULL
);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES attachment_contents(sha256)
);
CREATE INDEX attachments_message ON attachments(message_id);
CREATE INDEX attachments_content ON attachments(sha256);

-- How many days a CPTS keeps a thread after its last message.
ALTER TABLE cpts ADD COLUMN message_retention_days INTEGER NOT NULL DEFAULT 730;
