-- Who may see the social map: one-time invitations of a director (only a hash kept) and who redeemed
-- one; wrong codes typed per chat identity; web-chat sessions that carry state (token kept hashed).
CREATE TABLE invitations (
    code_hash TEXT PRIMARY KEY,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE invited (
    identity TEXT PRIMARY KEY,
    invited_by TEXT NOT NULL,
    invited_at TEXT NOT NULL
);
CREATE TABLE code_attempts (
    identity TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX code_attempts_identity ON code_attempts (identity, at);
CREATE TABLE web_sessions (
    session_id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    rotated_at TEXT NOT NULL
);
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    secret TEXT NOT NULL
);

