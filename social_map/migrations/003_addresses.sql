CREATE TABLE addresses (
    identity TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    reference TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE seen_events (
    event_key TEXT PRIMARY KEY,
    seen_at TEXT NOT NULL
);

