CREATE TABLE directors (
    identity TEXT PRIMARY KEY,
    added_at TEXT NOT NULL
);
CREATE TABLE checkin_schedule (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    every_weeks INTEGER NOT NULL,
    weekday INTEGER NOT NULL,
    hour INTEGER NOT NULL,
    minute INTEGER NOT NULL,
    reminder_days INTEGER NOT NULL,
    next_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE checkin_cycles (
    id INTEGER PRIMARY KEY,
    due_at TEXT NOT NULL UNIQUE,
    started_at TEXT NOT NULL
);
CREATE TABLE checkin_requests (
    id INTEGER PRIMARY KEY,
    cycle_id INTEGER NOT NULL REFERENCES checkin_cycles (id) ON DELETE CASCADE,
    partner_id INTEGER NOT NULL,
    identity TEXT NOT NULL,
    organisation TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    sent_at TEXT NOT NULL,
    reminded_at TEXT,
    answered_at TEXT,
    goal TEXT,
    commitment INTEGER,
    need TEXT,
    knelpunt TEXT,
    UNIQUE (cycle_id, partner_id)
);
CREATE INDEX checkin_requests_identity ON checkin_requests (identity, status);
CREATE TABLE away (
    identity TEXT PRIMARY KEY,
    until TEXT NOT NULL
);
CREATE TABLE milestones (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    due_on TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    reached_at TEXT,
    celebrated_at TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE broadcasts (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    dedupe_key TEXT NOT NULL UNIQUE,
    broadcast_id INTEGER REFERENCES broadcasts (id),
    identity TEXT NOT NULL,
    platform TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before TEXT NOT NULL,
    claimed_at TEXT,
    sent_at TEXT,
    error TEXT
);
CREATE INDEX outbox_due ON outbox (status, platform, not_before);
CREATE INDEX outbox_identity ON outbox (identity, status);

