-- What partners send back: their choice about celebrations, and knelpunt reports with the director's answer.
CREATE TABLE partner_preferences (
    partner_id INTEGER PRIMARY KEY,
    celebrations INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE knelpunt_reports (
    id INTEGER PRIMARY KEY,
    reporter TEXT NOT NULL,
    organisation TEXT NOT NULL,
    stuck TEXT NOT NULL,
    between_organisations TEXT NOT NULL,
    since TEXT NOT NULL,
    created_at TEXT NOT NULL,
    answer TEXT,
    answered_by TEXT,
    answered_at TEXT
);
