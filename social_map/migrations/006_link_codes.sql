-- One-time codes to link a second chat account to one's own entry ("koppel"); only a hash is kept.
CREATE TABLE link_codes (
    code_hash TEXT PRIMARY KEY,
    partner_id INTEGER NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX link_codes_partner ON link_codes (partner_id);

