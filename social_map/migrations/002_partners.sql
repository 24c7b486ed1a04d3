CREATE TABLE partners (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    organisation TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    topics TEXT NOT NULL,
    region TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    consent_at TEXT,
    consent_text TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    confirmed_at TEXT NOT NULL,
    reminders_sent INTEGER NOT NULL DEFAULT 0,
    last_reminder_at TEXT,
    hidden_at TEXT
);
CREATE UNIQUE INDEX partners_email ON partners (email) WHERE email != '';
CREATE TABLE identities (
    identity TEXT PRIMARY KEY,
    partner_id INTEGER NOT NULL REFERENCES partners (id) ON DELETE CASCADE
);
CREATE INDEX identities_partner ON identities (partner_id);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    partner_id INTEGER
);

