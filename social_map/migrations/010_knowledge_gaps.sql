-- The knowledge-gap loop: questions that got the fallback or a doubtful guess, and answers marked unhelpful, kept
-- scrubbed (no e-mail address, number or name), grouped into themes a reviewer links to an entry or dismisses.
-- Who asked is kept as a hash only, so that "verwijder mij" can remove it; a theme goes 90 days after it was last seen.
CREATE TABLE gap_themes (
    id INTEGER PRIMARY KEY,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE TABLE gap_questions (
    id INTEGER PRIMARY KEY,
    theme_id INTEGER NOT NULL REFERENCES gap_themes (id),
    asker_hash TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    question TEXT NOT NULL,
    terms TEXT NOT NULL,
    reason TEXT NOT NULL,
    guess TEXT,
    score REAL NOT NULL
);
CREATE INDEX gap_questions_theme ON gap_questions (theme_id);
CREATE INDEX gap_questions_asker ON gap_questions (asker_hash);
