-- KETENBOT_MAP_APPROVAL=1: a new self-registration waits for a director's approval before contact answers show
-- it. A row means "not (yet) approved": waiting, or rejected; approving removes the row.
CREATE TABLE partner_approvals (
    partner_id INTEGER PRIMARY KEY,
    status TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT
);
