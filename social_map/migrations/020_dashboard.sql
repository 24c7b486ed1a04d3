-- The chain director's dashboard: one-time links and sessions (only hashes of their tokens), and the questions
-- people asked, counted per week and platform (never their text).
CREATE TABLE dashboard_links (
    token_hash TEXT PRIMARY KEY,
    director TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE TABLE dashboard_sessions (
    token_hash TEXT PRIMARY KEY,
    director TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE question_counts (
    week_of TEXT NOT NULL,
    platform TEXT NOT NULL,
    questions INTEGER NOT NULL,
    PRIMARY KEY (week_of, platform)
);
